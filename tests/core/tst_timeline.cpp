// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// A run's timeline (the frames of its formation in the run folder) and its export as an animated GIF or a PNG strip.
#include "fixtures.h"

#include <distillery/animation.h>
#include <distillery/error.h>
#include <distillery/runcontrol.h>
#include <distillery/session.h>
#include <distillery/timeline.h>

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <map>

#ifdef DISTILLERY_TEST_GIFLIB
#include <gif_lib.h>
#endif

using namespace distillery::core;

namespace {

/// A decoded GIF: its screen size and each frame's palette indices (grey GIFs: the grey value itself).
struct DecodedGif
{
    int width = 0;
    int height = 0;
    std::vector<std::vector<std::uint8_t>> frames;
    std::vector<int> delays; // centiseconds
    bool ok = false;
};

DecodedGif decodeGif(const QString& path)
{
    DecodedGif out;
#ifdef DISTILLERY_TEST_GIFLIB
    int error = 0;
    GifFileType* gif = DGifOpenFileName(path.toLocal8Bit().constData(), &error);
    if (!gif)
        return out;
    if (DGifSlurp(gif) == GIF_OK) {
        out.ok = true;
        out.width = gif->SWidth;
        out.height = gif->SHeight;
        for (int i = 0; i < gif->ImageCount; ++i) {
            const SavedImage& image = gif->SavedImages[i];
            out.frames.emplace_back(image.RasterBits,
                image.RasterBits + static_cast<std::size_t>(image.ImageDesc.Width) * image.ImageDesc.Height);
            GraphicsControlBlock control{};
            DGifSavedExtensionToGCB(gif, i, &control);
            out.delays.push_back(control.DelayTime);
        }
    }
    DGifCloseFile(gif, &error);
#else
    (void)path;
#endif
    return out;
}

/// Whether image `index` of `frame`, enlarged `scale` times, appears in the picture (rows of `width` grey pixels)
/// somewhere in its first image row band.
bool containsImage(const std::vector<std::uint8_t>& picture, int width, int height, const Snapshot& frame, int index, int scale)
{
    const ImageBatch8& im = frame.images;
    const int h = im.height * scale, w = im.width * scale;
    const std::uint8_t* src = im.data.data() + static_cast<std::size_t>(index) * im.imageSize();
    for (int top = 0; top + h <= height; ++top)
        for (int left = 0; left + w <= width; ++left) {
            bool same = true;
            for (int y = 0; y < h && same; ++y)
                for (int x = 0; x < w && same; ++x)
                    same = picture[static_cast<std::size_t>(top + y) * width + left + x] == src[(y / scale) * im.width + x / scale];
            if (same)
                return true;
        }
    return false;
}

} // namespace

class TestTimeline : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_source;
    int m_runs = 0;

    RunConfig config(int iterations, int snapshotEvery)
    {
        RunConfig c = fixtures::tinyRun(m_source, "dm", 2, iterations);
        c.snapshotEvery = snapshotEvery;
        c.finalEval = false;
        c.outDir = m_dir.filePath(QStringLiteral("runs%1").arg(++m_runs)).toStdString();
        return c;
    }

    /// Runs `c` and keeps every snapshot handed out, by iteration.
    static std::string runKeeping(const RunConfig& c, std::map<int, Snapshot>& snapshots)
    {
        Session session(c);
        RunControl control;
        SessionCallbacks callbacks;
        callbacks.onSnapshot = [&](const Snapshot& s) { snapshots[s.iteration] = s; };
        return session.run(control, callbacks).runDir;
    }

private Q_SLOTS:
    void initTestCase() { m_source = fixtures::writeToyIdxDataset(m_dir.filePath(QStringLiteral("toy"))).toStdString(); }

    void intervalKeepsFramesWithinTheLimits()
    {
        const std::size_t fashion = 100 * 28 * 28; // IPC 10, one channel
        QCOMPARE(timelineInterval(150, 1, fashion), 1); // every snapshot
        QCOMPARE(timelineInterval(300, 1, fashion), 2);
        QCOMPARE(timelineInterval(20000, 10, fashion), 100); // 200 frames of 2 000 snapshots
        for (const int iterations : {1, 7, 199, 200, 201, 1000, 20000, 123457}) {
            for (const int every : {1, 3, 10}) {
                const int interval = timelineInterval(iterations, every, fashion);
                QCOMPARE(interval % every, 0); // frames come from snapshots
                QVERIFY(iterations / interval <= kTimelineMaxFrames);
            }
        }
        // CIFAR-100 at IPC 50: 15 MB a frame, so the pixel budget decides.
        const std::size_t large = 5000 * 3 * 32 * 32;
        const int interval = timelineInterval(1000, 1, large);
        QVERIFY(static_cast<double>(1000 / interval + 2) * large <= kTimelineBudgetBytes + 2 * large);
        QVERIFY(1000 / interval >= 10);
    }

    void aRunKeepsItsFormation()
    {
        std::map<int, Snapshot> shown;
        const std::string dir = runKeeping(config(5, 2), shown);
        // The start, every second iteration (snapshotEvery 2, far below the frame limit), and the last set.
        QCOMPARE(timelineIterations(dir), (std::vector<int>{0, 2, 4, 5}));
        for (const int iteration : timelineIterations(dir)) {
            const Snapshot frame = loadTimelineFrame(dir, iteration);
            QVERIFY(shown.count(iteration));
            const Snapshot& snapshot = shown.at(iteration);
            QVERIFY2(snapshot.timelineFrame, qPrintable(QString::number(iteration)));
            QCOMPARE(frame.iteration, iteration);
            QCOMPARE(frame.totalIterations, 5);
            QCOMPARE(frame.images.data, snapshot.images.data); // the pixels the window showed
            QCOMPARE(frame.labels, snapshot.labels);
            QCOMPARE(frame.classNames, snapshot.classNames);
            QCOMPARE(frame.initIndices, snapshot.initIndices);
        }
        QVERIFY(loadTimelineFrame(dir, 0).images.data != loadTimelineFrame(dir, 5).images.data); // it did change
    }

    void aStoppedRunEndsWithItsLastSetAndAResumeRedoesItsFrames()
    {
        const RunConfig c = config(6, 1);
        Session first(c);
        const RunResult stopped = fixtures::runStoppingAfter(first, 3);
        QCOMPARE(timelineIterations(stopped.runDir), (std::vector<int>{0, 1, 2, 3}));
        // A frame from beyond the checkpoint (a crash between checkpoints) goes: that step runs again.
        QVERIFY(QFile::copy(QString::fromStdString(timelineFramePath(stopped.runDir, 3)),
            QString::fromStdString(timelineFramePath(stopped.runDir, 100))));

        Session resumed(loadRunFolderConfig(stopped.runDir), stopped.runDir);
        RunControl control;
        std::map<int, Snapshot> shown;
        SessionCallbacks callbacks;
        callbacks.onSnapshot = [&](const Snapshot& s) { shown[s.iteration] = s; };
        resumed.run(control, callbacks);
        QCOMPARE(timelineIterations(stopped.runDir), (std::vector<int>{0, 1, 2, 3, 4, 5, 6}));
        QCOMPARE(loadTimelineFrame(stopped.runDir, 6).images.data, shown.at(6).images.data);
    }

    void damagedFramesNameTheirFile()
    {
        std::map<int, Snapshot> shown;
        const std::string dir = runKeeping(config(2, 1), shown);
        const QString path = QString::fromStdString(timelineFramePath(dir, 1));
        const QByteArray bytes = fixtures::readFile(path);
        QVERIFY(bytes.size() > 100);

        fixtures::writeFile(path, bytes.left(bytes.size() - 7)); // cut short
        QVERIFY(fixtures::errorMessage([&] { loadTimelineFrame(dir, 1); }).contains(path));

        // A synthetic set is no frame.
        QVERIFY(QFile::remove(path));
        QVERIFY(QFile::copy(QDir(QString::fromStdString(dir)).filePath(QStringLiteral("synthetic.safetensors")), path));
        QVERIFY(fixtures::errorMessage([&] { loadTimelineFrame(dir, 1); }).contains(QLatin1String("not a timeline frame")));

        // A label outside the classes.
        Snapshot bad = shown.at(2);
        bad.iteration = 1;
        bad.labels[0] = 7;
        writeTimelineFrame(dir, bad);
        const QString message = fixtures::errorMessage([&] { loadTimelineFrame(dir, 1); });
        QVERIFY2(message.contains(path) && message.contains(QLatin1String("label 7")), qPrintable(message));

        QVERIFY(fixtures::errorMessage([&] { loadTimelineFrame(dir, 9); }).contains(QLatin1String("000009.safetensors")));
        QVERIFY(timelineIterations(m_dir.filePath(QStringLiteral("nowhere")).toStdString()).empty());
    }

    void formationExportsAsAnimationAndStrip()
    {
        std::map<int, Snapshot> shown;
        const std::string dir = runKeeping(config(6, 1), shown);
        const std::vector<int> frames = timelineIterations(dir);
        QCOMPARE(frames.size(), std::size_t(7));
        const QDir out(m_dir.path());
        FormationOptions options;
        options.scale = 2;
        options.framesPerSecond = 20;
        options.holdLastSeconds = 1.5;

        // Animated GIF: every frame (7 ≤ maxFrames), the size formationFrameSize says, the frames' own pixels.
        std::vector<std::pair<int, int>> progress;
        const QString gif = out.filePath(QStringLiteral("formation.gif"));
        QCOMPARE(exportFormation(dir, gif.toStdString(), options, [&](int d, int t) { progress.emplace_back(d, t); }), 7);
        QCOMPARE(progress.size(), std::size_t(7));
        QCOMPARE(progress.back(), std::make_pair(7, 7));
#ifdef DISTILLERY_TEST_GIFLIB
        const DecodedGif decoded = decodeGif(gif);
        QVERIFY(decoded.ok);
        const FrameSize size = formationFrameSize(shown.at(0), 2);
        QCOMPARE(decoded.width, size.width);
        QCOMPARE(decoded.height, size.height);
        QCOMPARE(decoded.frames.size(), std::size_t(7));
        QCOMPARE(decoded.delays.front(), 5); // 20 frames per second
        QCOMPARE(decoded.delays.back(), 150); // the finished set stays
        for (const int k : {0, 3, 6}) {
            const Snapshot& frame = shown.at(frames[static_cast<std::size_t>(k)]);
            QVERIFY2(containsImage(decoded.frames[static_cast<std::size_t>(k)], decoded.width, decoded.height, frame, 0, 2),
                qPrintable(QStringLiteral("GIF frame %1 lacks its first image").arg(k)));
        }
        QVERIFY(!containsImage(decoded.frames[0], decoded.width, decoded.height, shown.at(6), 0, 2)); // can fail

        options.maxFrames = 3; // evenly spaced: the first, the middle, the last
        QCOMPARE(exportFormation(dir, gif.toStdString(), options), 3);
        QCOMPARE(decodeGif(gif).frames.size(), std::size_t(3));
#else
        QWARN("giflib headers not found: the GIF is not decoded");
#endif

        // PNG strip: the names once, then stripFrames frames side by side, all at the frame height.
        options.stripFrames = 4;
        const QString strip = out.filePath(QStringLiteral("formation.png"));
        QCOMPARE(exportFormation(dir, strip.toStdString(), options), 4);
        const QImage image(strip);
        QCOMPARE(image.height(), formationFrameSize(shown.at(0), 2).height);
        QVERIFY(image.width() > 3 * image.height() / 2);

        // Cancelled: nothing is written, no temporary file stays.
        RunControl stop;
        stop.requestStop();
        const QString cancelled = out.filePath(QStringLiteral("cancelled.gif"));
        QVERIFY_EXCEPTION_THROWN(exportFormation(dir, cancelled.toStdString(), options, {}, &stop), Cancelled);
        QVERIFY(!QFile::exists(cancelled));
        QCOMPARE(out.entryList({QStringLiteral("*partial*")}), QStringList());

        // Wrong requests name what is wrong.
        QVERIFY(fixtures::errorMessage([&] { exportFormation(dir, out.filePath(QStringLiteral("f.mp4")).toStdString()); })
                    .contains(QLatin1String("'.mp4'")));
        QVERIFY(fixtures::errorMessage([&] { exportFormation(m_dir.path().toStdString(), gif.toStdString()); })
                    .contains(QLatin1String("no timeline")));
    }

    void colourRunsAnimateToo()
    {
        const fixtures::ToyImages train = fixtures::makeToyImages(10, 3, 32, 3, 11);
        const fixtures::ToyImages test = fixtures::makeToyImages(10, 2, 32, 3, 12);
        RunConfig c = config(3, 1);
        c.data.source = fixtures::writeCifar10(m_dir.filePath(QStringLiteral("cifar")), train, test).toStdString();
        c.params.set("realBatch", std::int64_t(2));
        std::map<int, Snapshot> shown;
        const std::string dir = runKeeping(c, shown);
        QCOMPARE(loadTimelineFrame(dir, 3).images.channels, 3);
        const QString gif = m_dir.filePath(QStringLiteral("colour.gif"));
        QCOMPARE(exportFormation(dir, gif.toStdString()), 4);
#ifdef DISTILLERY_TEST_GIFLIB
        QCOMPARE(decodeGif(gif).frames.size(), std::size_t(4));
#endif
    }
};

QTEST_GUILESS_MAIN(TestTimeline)
#include "tst_timeline.moc"
