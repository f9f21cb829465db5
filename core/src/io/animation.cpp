// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// A run's timeline drawn as an animated GIF or a PNG strip (animation.h). Frames are read one at a time, so a long
// timeline never sits in memory whole.
#include "formats/atomicfile.h"
#include "io/cvimage.h"
#include "io/gifwriter.h"

#include <distillery/animation.h>
#include <distillery/error.h>
#include <distillery/runcontrol.h>
#include <distillery/timeline.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>

#ifdef DISTILLERY_HAVE_OPENCV
#include <opencv2/imgproc.hpp>
#endif

namespace distillery::core {

bool hasGifSupport()
{
#if defined(DISTILLERY_HAVE_OPENCV) && defined(DISTILLERY_HAVE_GIFLIB)
    return true;
#else
    return false;
#endif
}

#ifdef DISTILLERY_HAVE_OPENCV
namespace {

    constexpr int kGap = 2; // pixels between images
    constexpr int kMargin = 6; // around the grid and its text
    constexpr int kMaxScale = 8;
    const cv::Scalar kPaper = cv::Scalar::all(255);
    const cv::Scalar kInk = cv::Scalar::all(0);
    constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;

    /// What a frame's layout depends on; every frame of one run shares it.
    struct Layout
    {
        int rows = 0; // classes
        int columns = 0; // images of the largest class
        int cellWidth = 0;
        int cellHeight = 0;
        int nameWidth = 0; // the class names' column
        int captionHeight = 0;
        double fontScale = 0;
        int channels = 0;
        int width = 0;
        int height = 0;
    };

    /// `names`: with the class names' column (a strip shows it once, left of its first frame).
    Layout layoutOf(const Snapshot& frame, int scale, bool names = true)
    {
        Layout l;
        l.rows = static_cast<int>(frame.classNames.size());
        std::vector<int> perClass(static_cast<std::size_t>(l.rows), 0);
        for (const auto label : frame.labels)
            ++perClass[static_cast<std::size_t>(label)];
        l.columns = std::max(1, *std::max_element(perClass.begin(), perClass.end()));
        l.cellWidth = frame.images.width * scale;
        l.cellHeight = frame.images.height * scale;
        l.channels = frame.images.channels;
        // Text about as tall as half an image row, readable but never the main thing.
        l.fontScale = std::clamp(l.cellHeight / 70.0, 0.4, 1.0);
        int baseline = 0;
        for (const auto& name : names ? frame.classNames : std::vector<std::string>{})
            l.nameWidth = std::max(l.nameWidth, cv::getTextSize(name, kFont, l.fontScale, 1, &baseline).width);
        const cv::Size caption = cv::getTextSize("Iteration 000000 / 000000", kFont, l.fontScale, 1, &baseline);
        l.captionHeight = caption.height + baseline + 2 * kMargin;
        l.width = (names ? kMargin + l.nameWidth : 0) + kMargin + l.columns * (l.cellWidth + kGap) - kGap + kMargin;
        l.height = kMargin + l.rows * (l.cellHeight + kGap) - kGap + l.captionHeight;
        return l;
    }

    /// The largest zoom up to kMaxScale whose frame fits `width` × `height` (at least 1).
    int fittingScale(const Snapshot& frame, int width, int height)
    {
        for (int scale = kMaxScale; scale > 1; --scale) {
            const Layout l = layoutOf(frame, scale);
            if (l.width <= width && l.height <= height)
                return scale;
        }
        return 1;
    }

    /// One frame: the class names on the left, one row of images per class, the iteration underneath. BGR order,
    /// OpenCV's own.
    cv::Mat draw(const Snapshot& frame, const Layout& l)
    {
        const int type = l.channels == 3 ? CV_8UC3 : CV_8UC1;
        cv::Mat canvas(l.height, l.width, type, kPaper);
        const int gridLeft = (l.nameWidth > 0 ? kMargin + l.nameWidth : 0) + kMargin;
        int baseline = 0;
        for (int row = 0; row < l.rows && l.nameWidth > 0; ++row) {
            const std::string& name = frame.classNames[static_cast<std::size_t>(row)];
            const cv::Size text = cv::getTextSize(name, kFont, l.fontScale, 1, &baseline);
            const int top = kMargin + row * (l.cellHeight + kGap);
            cv::putText(canvas, name, cv::Point(kMargin + l.nameWidth - text.width, top + (l.cellHeight + text.height) / 2),
                kFont, l.fontScale, kInk, 1, cv::LINE_AA);
        }
        const ImageBatch8& im = frame.images;
        std::vector<int> placed(static_cast<std::size_t>(l.rows), 0);
        for (int i = 0; i < im.count; ++i) {
            const auto row = static_cast<int>(frame.labels[static_cast<std::size_t>(i)]);
            const int column = placed[static_cast<std::size_t>(row)]++;
            cv::Mat cell;
            cv::resize(toMat(im, i), cell, cv::Size(l.cellWidth, l.cellHeight), 0, 0, cv::INTER_NEAREST); // crisp pixels
            cell.copyTo(canvas(cv::Rect(gridLeft + column * (l.cellWidth + kGap), kMargin + row * (l.cellHeight + kGap),
                l.cellWidth, l.cellHeight)));
        }
        const std::string caption = "Iteration " + std::to_string(frame.iteration) + " / " + std::to_string(frame.totalIterations);
        cv::getTextSize(caption, kFont, l.fontScale, 1, &baseline);
        cv::putText(canvas, caption, cv::Point(gridLeft, l.height - kMargin - baseline), kFont, l.fontScale, kInk, 1,
            cv::LINE_AA);
        return canvas;
    }

    /// `wanted` of `iterations`, evenly spaced from the first to the last, each at most once (all when fewer).
    std::vector<int> evenlySpaced(const std::vector<int>& iterations, int wanted)
    {
        const auto available = static_cast<int>(iterations.size());
        if (wanted <= 0 || wanted >= available)
            return iterations;
        std::vector<int> chosen;
        for (int k = 0; k < wanted; ++k) {
            const double at = wanted == 1 ? available - 1.0 : static_cast<double>(k) * (available - 1.0) / (wanted - 1.0);
            const int iteration = iterations[static_cast<std::size_t>(std::lround(at))];
            if (chosen.empty() || chosen.back() != iteration)
                chosen.push_back(iteration);
        }
        return chosen;
    }

    void checkSameShape(const Snapshot& frame, const Snapshot& first, const std::string& runDir)
    {
        const ImageBatch8& a = frame.images;
        const ImageBatch8& b = first.images;
        if (a.count != b.count || a.channels != b.channels || a.height != b.height || a.width != b.width
            || frame.classNames != first.classNames)
            throw Error(timelineFramePath(runDir, frame.iteration) + ": its images differ in number or size from the "
                "first frame's (not one run's timeline)");
    }

    void stopIfAsked(const RunControl* control)
    {
        if (control && control->stopRequested())
            throw Cancelled();
    }

    int writeGif(const std::string& runDir, const std::vector<int>& timeline, const std::string& path,
        const FormationOptions& options, const FormationProgressFn& progress, const RunControl* control)
    {
        const std::vector<int> iterations = evenlySpaced(timeline, options.maxFrames);
        const Snapshot first = loadTimelineFrame(runDir, iterations.front());
        const int scale = options.scale > 0 ? options.scale : fittingScale(first, 1280, 720);
        const Layout layout = layoutOf(first, scale);
        const double fps = std::clamp(options.framesPerSecond, 1.0, 50.0);
        const int delay = static_cast<int>(std::lround(100.0 / fps));
        const int hold = std::max(delay, static_cast<int>(std::lround(std::max(0.0, options.holdLastSeconds) * 100.0)));
        GifWriter gif(layout.width, layout.height, layout.channels);
        const auto total = static_cast<int>(iterations.size());
        for (int k = 0; k < total; ++k) {
            stopIfAsked(control);
            const Snapshot frame = k == 0 ? first : loadTimelineFrame(runDir, iterations[static_cast<std::size_t>(k)]);
            checkSameShape(frame, first, runDir);
            cv::Mat canvas = draw(frame, layout);
            if (layout.channels == 3)
                cv::cvtColor(canvas, canvas, cv::COLOR_BGR2RGB); // the GIF writer's order
            gif.addFrame(canvas.ptr<std::uint8_t>(), k + 1 == total ? hold : delay);
            if (progress)
                progress(k + 1, total);
        }
        stopIfAsked(control);
        const std::vector<std::uint8_t> bytes = gif.finish();
        writeBytesAtomically(path, {{bytes.data(), bytes.size()}});
        return total;
    }

    int writeStrip(const std::string& runDir, const std::vector<int>& iterations, const std::string& path,
        const FormationOptions& options, const FormationProgressFn& progress, const RunControl* control)
    {
        const std::vector<int> chosen = evenlySpaced(iterations, std::max(1, options.stripFrames));
        const Snapshot first = loadTimelineFrame(runDir, chosen.front());
        const auto count = static_cast<int>(chosen.size());
        int scale = options.scale;
        if (scale <= 0) // the whole strip within 4096 pixels across, the width most viewers and slides handle
            scale = fittingScale(first, (4096 - (count - 1) * kMargin) / count, 4096);
        const Layout named = layoutOf(first, scale);
        const Layout plain = layoutOf(first, scale, false);
        cv::Mat strip(named.height, named.width + (count - 1) * plain.width, named.channels == 3 ? CV_8UC3 : CV_8UC1, kPaper);
        for (int k = 0; k < count; ++k) {
            stopIfAsked(control);
            const Snapshot frame = k == 0 ? first : loadTimelineFrame(runDir, chosen[static_cast<std::size_t>(k)]);
            checkSameShape(frame, first, runDir);
            const Layout& layout = k == 0 ? named : plain;
            const int left = k == 0 ? 0 : named.width + (k - 1) * plain.width;
            draw(frame, layout).copyTo(strip(cv::Rect(left, 0, layout.width, layout.height)));
            if (progress)
                progress(k + 1, count);
        }
        stopIfAsked(control);
        writePngAtomically(path, strip);
        return count;
    }

} // namespace

FrameSize formationFrameSize(const Snapshot& frame, int scale)
{
    const Layout l = layoutOf(frame, std::max(1, scale));
    return {l.width, l.height};
}

int exportFormation(const std::string& runDir, const std::string& path, const FormationOptions& options,
    const FormationProgressFn& progress, const RunControl* control)
{
    const std::vector<int> iterations = timelineIterations(runDir);
    if (iterations.empty())
        throw Error(runDir + ": no timeline to export (the folder has no timeline/ frames: not a run folder, or a run "
                             "made before Distillery kept timelines)");
    std::string extension = std::filesystem::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(), [](unsigned char c) { return std::tolower(c); });
    if (extension == ".gif")
        return writeGif(runDir, iterations, path, options, progress, control);
    if (extension == ".png")
        return writeStrip(runDir, iterations, path, options, progress, control);
    throw Error(path + ": unknown format '" + extension + "' (.gif for an animation, .png for a strip)");
}

#else

FrameSize formationFrameSize(const Snapshot&, int)
{
    throw Error("this build of Distillery has no OpenCV, so formation export is unavailable");
}

int exportFormation(const std::string&, const std::string& path, const FormationOptions&, const FormationProgressFn&,
    const RunControl*)
{
    throw Error(path + ": this build of Distillery has no OpenCV, so formation export is unavailable");
}

#endif

} // namespace distillery::core
