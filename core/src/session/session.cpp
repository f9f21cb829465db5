// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "data/dataset.h"
#include "data/synthetictensors.h"
#include "eval/protocol.h"
#include "eval/kernelprediction.h"
#include "eval/replay.h"
#include "methods/method.h"
#include "selection/dataselection.h"
#include "session/resumestate.h"
#include "session/runfolder.h"
#include "util/torchutil.h"

#include <distillery/device.h>
#include <distillery/error.h>
#include <distillery/performance.h>
#include <distillery/runcontrol.h>
#include <distillery/session.h>
#include <distillery/syntheticio.h>
#include <distillery/timeline.h>
#include <distillery/version.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

namespace distillery::core {
namespace {

    // deriveSeed() streams: each consumer of randomness gets its own, so adding one never shifts another.
    constexpr std::uint64_t kStreamInit = 0x51;
    constexpr std::uint64_t kStreamStep = 0x52;
    constexpr std::uint64_t kStreamEval = 0x53;
    constexpr std::uint64_t kStreamKernelBaseline = 0x54;

    using Clock = std::chrono::steady_clock;

    double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

    /// Whether a run folder has a checkpoint. A run folder without one stopped before its first iteration was kept
    /// (a kill while loading the data or preparing the method): continuing it starts it again in the same folder.
    bool hasCheckpoint(const std::string& runDir)
    {
        std::error_code ec;
        return std::filesystem::is_regular_file(RunFolder::checkpointPath(runDir), ec);
    }

    int checkpointIteration(const SyntheticSet& checkpoint, const std::string& path)
    {
        try {
            return std::stoi(checkpoint.metadata.at("iteration"));
        } catch (const std::exception&) {
            throw Error(path + ": no readable iteration in its metadata");
        }
    }

    /// A synthetic pixel this many times farther from the data's mean than any real pixel can be (in units of the
    /// data's std) means the images diverged: normal runs stay within about 3 times (BENCHMARKS.md, "Divergence").
    constexpr double kDivergedExtent = 100.0;
    /// A learned step size beyond this has left any plausible range: SGD steps of 10 on a normalised ConvNet
    /// explode, and MTT's and DD's learned rates stay near 0.001–0.1 (docs/methods.md §3, §7).
    constexpr double kDivergedLearnedRate = 10.0;

    /// The largest |normalised value| a real pixel in [0, 1] can take, over the channels.
    double realPixelExtent(const DatasetInfo& info)
    {
        double extent = 0;
        for (std::size_t c = 0; c < info.mean.size() && c < info.std.size(); ++c)
            extent = std::max(extent, std::max<double>(info.mean[c], 1.0 - info.mean[c]) / info.std[c]);
        return extent > 0 ? extent : 1.0;
    }

    /// Monitoring evaluations skip the last iteration, so an evaluation of the synthetic set there is the final one.
    bool hasFinalEvaluation(const RunHistory& history, int iterations)
    {
        return std::any_of(history.evaluations.begin(), history.evaluations.end(),
            [&](const EvalResult& e) { return e.subject == "synthetic" && e.iteration == iterations; });
    }

} // namespace

struct Session::Impl
{
    RunConfig config;
    std::string device;
    std::shared_ptr<Dataset> data;
    std::unique_ptr<Method> method;
    std::unique_ptr<RunFolder> folder;
    bool prepared = false;
    int done = 0; // iterations completed

    /// Steps whose results are still on the device, read together at the next flush.
    struct Pending
    {
        int iteration;
        StepResult result;
    };
    std::vector<Pending> pending;
    double stepSeconds = 0; // wall time spent in steps, evaluations excluded
    Clock::time_point lastFlush;
    Clock::time_point lastCheckpoint; // when the last checkpoint was written (or the run started)
    SyntheticTensors lastGood; // the set as of the last flush whose losses were all finite
    int lastGoodIteration = 0;
    std::map<std::string, torch::Tensor> lastGoodState; // the method's resume tensors at lastGood
    std::string resumeDir; // continue this run folder from its checkpoint
    int startIteration = 0;
    int timelineEvery = 1; // iterations between timeline frames (timelineInterval)
    int lastFrameIteration = -1; // the newest frame in the timeline

    /// Keeps `snapshot` in the run folder's timeline when its iteration is due (or `always`: the run's last set),
    /// and marks it so viewers know a frame of it exists.
    void keepTimelineFrame(Snapshot& snapshot, bool always)
    {
        if (!folder || snapshot.images.count == 0 || snapshot.iteration == lastFrameIteration)
            return;
        if (!always && snapshot.iteration % timelineEvery != 0)
            return;
        writeTimelineFrame(folder->path(), snapshot);
        lastFrameIteration = snapshot.iteration;
        snapshot.timelineFrame = true;
    }

    bool timelineFrameDue(int iteration) const
    {
        return folder && iteration % timelineEvery == 0 && iteration != lastFrameIteration;
    }

    SyntheticSet hostSet(const SyntheticTensors& tensors, int iteration) const
    {
        SyntheticSet set = toSyntheticSet(tensors, *data);
        set.metadata = {{"method", config.method}, {"ipc", std::to_string(config.ipc)},
            {"seed", std::to_string(config.seed)}, {"iteration", std::to_string(iteration)},
            {"iterations", std::to_string(config.iterations)}, {"preset", config.preset},
            {"dataset", data->info().name}, {"dataset_source", data->info().source},
            {"dataset_fingerprint", data->info().fingerprint}, {"device", device}, {"zca", "false"},
            {"config", toJson(config)}, {"distillery_version", version()}};
        return set;
    }

    Snapshot makeSnapshot(const SyntheticTensors& tensors, int iteration) const
    {
        Snapshot s;
        s.iteration = iteration;
        s.totalIterations = config.iterations;
        s.classNames = data->info().classNames;
        if (tensors.images.defined() && tensors.images.size(0) > 0) {
            s.images = toDisplay(tensors.images, data->info().mean, data->info().std);
            s.labels = toInt64Vector(tensors.labels);
            s.initIndices = toInt64Vector(tensors.initIndices);
            s.ipc = static_cast<int>(s.images.count / data->numClasses());
        }
        if (tensors.softLabels.defined())
            s.softLabels = toFloatVector(tensors.softLabels);
        if (tensors.learnedLr.defined())
            s.learnedLr = toFloatVector(tensors.learnedLr);
        return s;
    }

    void keepLastGood()
    {
        lastGood = copyOfSynthetic();
        lastGoodIteration = done;
        lastGoodState.clear();
        for (const auto& [name, tensor] : method->resumeState())
            lastGoodState[name] = tensor.detach().clone();
    }

    SyntheticTensors copyOfSynthetic() const
    {
        SyntheticTensors t = method->synthetic();
        t.images = t.images.detach().clone();
        t.labels = t.labels.clone();
        if (t.softLabels.defined())
            t.softLabels = t.softLabels.detach().clone();
        if (t.learnedLr.defined())
            t.learnedLr = t.learnedLr.detach().clone();
        return t;
    }

    /// Reads the pending step results to the host (one transfer), reports them, and checks they are finite.
    void flush(const SessionCallbacks& callbacks)
    {
        if (pending.empty())
            return;
        torch::NoGradGuard noGrad;
        std::vector<torch::Tensor> losses;
        std::vector<torch::Tensor> terms;
        for (const auto& p : pending) {
            losses.push_back(p.result.loss.detach().reshape({}).to(torch::kFloat64));
            if (p.result.classTerms.defined())
                terms.push_back(p.result.classTerms.detach().to(torch::kFloat64));
        }
        const std::vector<float> hostLosses = toFloatVector(torch::stack(losses));
        const bool haveTerms = terms.size() == pending.size();
        const std::vector<float> hostTerms = haveTerms ? toFloatVector(torch::stack(terms)) : std::vector<float>{};
        const auto classes = static_cast<std::size_t>(data->numClasses());

        // The transfer above waited for the device, so the time since the last flush is the real step time.
        const double elapsed = secondsSince(lastFlush);
        stepSeconds += elapsed;
        const double perStep = elapsed / static_cast<double>(pending.size());
        for (std::size_t i = 0; i < pending.size(); ++i) {
            StepStats stats;
            stats.iteration = pending[i].iteration;
            stats.totalIterations = config.iterations;
            stats.loss = hostLosses[i];
            if (haveTerms)
                stats.classTerms.assign(hostTerms.begin() + static_cast<std::ptrdiff_t>(i * classes),
                    hostTerms.begin() + static_cast<std::ptrdiff_t>((i + 1) * classes));
            stats.lossName = method->lossName();
            // A few values per step (α, DD's schedule, MTT's N + 1 distances); the device already waited above.
            for (auto [tensor, values] : {std::pair{&pending[i].result.stepSizes, &stats.stepSizes},
                     std::pair{&pending[i].result.unrollCurve, &stats.unrollCurve}})
                if (tensor->defined()) {
                    const std::vector<float> host = toFloatVector(*tensor);
                    values->assign(host.begin(), host.end());
                }
            stats.stepSeconds = perStep;
            stats.elapsedSeconds = stepSeconds - perStep * static_cast<double>(pending.size() - 1 - i);
            checkFinite(stats.loss, "the " + config.method + " loss at iteration " + std::to_string(stats.iteration));
            if (folder)
                folder->appendStep(stats);
            if (callbacks.onStep)
                callbacks.onStep(stats);
        }
        checkNotDiverged(pending.back().iteration);
        pending.clear();
        keepLastGood();
        if (callbacks.onSnapshot || timelineFrameDue(done)) {
            Snapshot snapshot = makeSnapshot(lastGood, done);
            keepTimelineFrame(snapshot, false);
            if (callbacks.onSnapshot)
                callbacks.onSnapshot(snapshot);
        }
        lastFlush = Clock::now();
    }

    /// Iteration `iteration` of the method, reseeded from the run seed and the iteration: the same seed gives the
    /// same set whatever was paused, evaluated or resumed in between (and a benchmark times the same work).
    StepResult stepOnce(int iteration)
    {
        torch::manual_seed(deriveSeed(config.seed, kStreamStep, static_cast<std::uint64_t>(iteration)));
        return translateErrors(config.method + " step " + std::to_string(iteration), [&] { return method->step(iteration); });
    }

    /// Finite losses can hide images that ran away (a learning rate far too large): stop before keeping them.
    void checkNotDiverged(int iteration) const
    {
        const SyntheticTensors set = method->synthetic();
        if (set.learnedLr.defined() && set.learnedLr.numel() > 0) {
            const double largest = set.learnedLr.detach().abs().max().item<double>();
            checkFinite(largest, "the learned step size at iteration " + std::to_string(iteration));
            if (largest > kDivergedLearnedRate) {
                char number[64];
                std::snprintf(number, sizeof number, "%.3g", largest);
                throw Error("the learned step size diverged at iteration " + std::to_string(iteration) + " (it reached "
                    + number + "); lower its learning rate (params.lrLr)");
            }
        }
        const torch::Tensor images = set.images;
        if (!images.defined() || images.numel() == 0)
            return;
        const double extent = images.detach().abs().max().item<double>();
        const double real = realPixelExtent(data->info());
        checkFinite(extent, "the synthetic images at iteration " + std::to_string(iteration));
        if (extent > kDivergedExtent * real) {
            char numbers[160];
            std::snprintf(numbers, sizeof numbers, "pixel values reached %.3g standard deviations of the data, real "
                "pixels stay within %.2g", extent, real);
            throw Error("the synthetic images diverged at iteration " + std::to_string(iteration) + " (" + numbers
                + "); lower the image learning rate (params.lrImage)");
        }
    }

    /// Evaluates the set under the run's protocol into `into`. A set with learned soft labels is evaluated twice,
    /// first with its hard labels (the argmax): a learned label can carry much of the gain, so both are reported
    /// (docs/methods.md §8).
    void evaluate(const SyntheticTensors& set, int iteration, const SessionCallbacks& callbacks, const RunControl* control,
        std::vector<EvalResult>& into)
    {
        if (callbacks.onMessage)
            callbacks.onMessage("evaluating the synthetic set of iteration " + std::to_string(iteration) + " ("
                + std::to_string(config.eval.models) + " models, " + std::to_string(config.eval.epochs) + " epochs"
                + (set.softLabels.defined() ? "; with its hard labels, then its learned soft labels)" : ")"));
        const std::uint64_t seed = deriveSeed(config.seed, kStreamEval, static_cast<std::uint64_t>(iteration));
        const auto record = [&](const std::function<EvalResult()>& evaluation) {
            EvalResult result = translateErrors("evaluation", evaluation);
            result.iteration = iteration;
            if (folder)
                folder->appendEval(result);
            if (callbacks.onEvaluated)
                callbacks.onEvaluated(result);
            into.push_back(result);
        };
        const auto protocol = [&](const torch::Tensor& labels, const std::string& subject) {
            return [&, labels, subject] {
                return runProtocol({set.images, labels, set.learnedLr}, *data, config.model, config.eval, seed, subject,
                    callbacks.onEvalProgress, control);
            };
        };
        if (set.softLabels.defined())
            record(protocol(set.labels, "synthetic, hard labels"));
        if (const auto schedule = method->learnedSchedule()) // the set's own use (DD replays its learned steps)
            record([&] {
                return replayLearnedSteps({set.images, set.trainingLabels(), set.learnedLr}, *schedule, *data,
                    config.model, config.eval.models, seed, control);
            });
        if (const auto readout = method->kernelReadout()) { // the set's own use (a kernel method's regression)
            record([&] {
                return kernelPrediction({set.images, set.trainingLabels(), set.learnedLr}, *readout, *data, config.model,
                    config.eval.models, seed, control);
            });
            // … and its yardstick: the same regression, same networks, from a random real subset of the same size.
            record([&] {
                torch::manual_seed(deriveSeed(seed, kStreamKernelBaseline));
                const torch::Tensor index = data->sampleAllClasses(config.ipc, Dataset::Pool::Whole);
                EvalResult baseline = kernelPrediction({data->trainImages().index_select(0, index),
                                                           data->trainLabels().index_select(0, index), torch::Tensor()},
                    *readout, *data, config.model, config.eval.models, seed, control);
                baseline.subject = "random real, kernel regression";
                return baseline;
            });
        }
        record(protocol(set.trainingLabels(), "synthetic"));
    }

    /// After init(): the checkpoint's images and resume tensors into the method, the run folder reopened. A folder
    /// without a checkpoint (the run was killed before its first iteration) starts again from iteration 0.
    void resumeFromCheckpoint(const std::function<void(const std::string&)>& say)
    {
        namespace fs = std::filesystem;
        if (!hasCheckpoint(resumeDir)) {
            // Only a run that never kept an iteration starts over; one whose checkpoint went missing would lose its work.
            const RunHistory history = RunFolder::readHistory(resumeDir);
            if (!history.steps.empty())
                throw Error(resumeDir + ": no checkpoint.safetensors to continue from, though metrics.jsonl records "
                    + std::to_string(history.steps.back().iteration) + " iterations (was it deleted?)");
            folder = std::make_unique<RunFolder>(RunFolder::reopen(resumeDir, config, 0));
            say(resumeDir + " has no checkpoint yet (the run stopped before its first iteration): starting it again "
                "in the same folder");
            return;
        }
        const std::string checkpointPath = RunFolder::checkpointPath(resumeDir);
        const SyntheticSet checkpoint = loadSafetensors(checkpointPath);
        auto expect = [&](const char* key, const std::string& value) {
            const auto it = checkpoint.metadata.find(key);
            if (it == checkpoint.metadata.end() || it->second != value)
                throw Error(checkpointPath + ": " + key + " is "
                    + (it == checkpoint.metadata.end() ? std::string("missing") : "\"" + it->second + "\"") + ", the run's is \""
                    + value + "\" (a checkpoint of another run?)");
        };
        expect("method", config.method);
        expect("ipc", std::to_string(config.ipc));
        expect("seed", std::to_string(config.seed));
        expect("dataset_fingerprint", data->info().fingerprint);
        const int iteration = checkpointIteration(checkpoint, checkpointPath);
        if (iteration >= config.iterations) {
            // A run stopped during its final evaluation (a crash, a time limit around the process) has all its
            // iterations: continuing it means that evaluation. One that has it needs more iterations to continue.
            if (iteration > config.iterations || !config.finalEval
                || hasFinalEvaluation(RunFolder::readHistory(resumeDir), config.iterations))
                throw Error(resumeDir + ": the run already did " + std::to_string(iteration) + " of its "
                    + std::to_string(config.iterations) + " iterations; ask for more iterations to continue it");
            say("the run did all " + std::to_string(config.iterations)
                + " iterations but has no final evaluation: evaluating it");
        }
        ResumeState state;
        const std::string statePath = RunFolder::resumeStatePath(resumeDir);
        std::error_code ec;
        if (fs::is_regular_file(statePath, ec)) {
            // The momentum is worth keeping, not worth refusing to continue over: a damaged file counts as missing.
            try {
                state = readResumeState(statePath);
            } catch (const Error& e) {
                say(std::string(e.what()) + ": the images' momentum restarts from zero");
                state = ResumeState{};
                state.iteration = iteration;
            }
            if (state.iteration != iteration) {
                say(statePath + " belongs to iteration " + std::to_string(state.iteration) + ", the checkpoint to "
                    + std::to_string(iteration) + ": the momentum restarts from zero");
                state.tensors.clear();
            }
        } else if (iteration > 0) {
            say("no checkpoint-state.safetensors: the images' momentum restarts from zero");
        }
        translateErrors("resuming " + config.method, [&] {
            method->resume(toTensor(checkpoint.images).to(data->device()), state.tensors);
        });
        done = iteration;
        startIteration = iteration;
        folder = std::make_unique<RunFolder>(RunFolder::reopen(resumeDir, config, iteration));
        stepSeconds = folder->keptStepSeconds();
        say("continuing " + resumeDir + " from iteration " + std::to_string(iteration) + " of "
            + std::to_string(config.iterations));
    }

    /// Checkpoints after the first iteration, then every checkpointEvery iterations or checkpointSeconds of
    /// running, whichever comes first: a crash or kill -9 loses at most that much work.
    bool checkpointDue() const
    {
        if (done == startIteration + 1)
            return true;
        if (config.checkpointEvery > 0 && done % config.checkpointEvery == 0)
            return true;
        return config.checkpointSeconds > 0 && secondsSince(lastCheckpoint) >= config.checkpointSeconds;
    }

    /// The timeline ends with the set the run kept, whatever iteration it stopped at.
    void keepLastFrame(const SessionCallbacks& callbacks)
    {
        if (!folder || lastGoodIteration == lastFrameIteration)
            return;
        Snapshot snapshot = makeSnapshot(lastGood, lastGoodIteration);
        keepTimelineFrame(snapshot, true);
        if (callbacks.onSnapshot)
            callbacks.onSnapshot(snapshot); // tells viewers about the frame
    }

    void writeSet(const SyntheticTensors& tensors, int iteration, bool final)
    {
        if (!folder || !tensors.images.defined() || tensors.images.size(0) == 0)
            return;
        const SyntheticSet set = hostSet(tensors, iteration);
        folder->writeCheckpoint(set);
        writeResumeState(folder->resumeStatePath(), {iteration, lastGoodState});
        if (final)
            folder->writeFinal(set);
    }
};

Session::Session(RunConfig config)
    : d(std::make_unique<Impl>())
{
    validate(config);
    d->config = std::move(config);
}

Session::Session(RunConfig config, std::string resumeDir)
    : Session(std::move(config))
{
    if (resumeDir.empty())
        throw Error("resume: no run folder given");
    d->resumeDir = std::move(resumeDir);
}

Session::~Session() = default;

int Session::startIteration() const
{
    return d->startIteration;
}

int runFolderCheckpointIteration(const std::string& runDir)
{
    if (!hasCheckpoint(runDir)) {
        loadRunFolderConfig(runDir); // Error when this is no run folder at all
        return 0;
    }
    const std::string path = RunFolder::checkpointPath(runDir);
    return checkpointIteration(loadSafetensors(path), path);
}

bool runFolderNeedsFinalEvaluation(const std::string& runDir)
{
    const RunConfig config = loadRunFolderConfig(runDir);
    return config.finalEval && runFolderCheckpointIteration(runDir) >= config.iterations
        && !hasFinalEvaluation(RunFolder::readHistory(runDir), config.iterations);
}

RunHistory loadRunHistory(const std::string& runDir)
{
    const RunConfig config = loadRunFolderConfig(runDir);
    RunHistory history = RunFolder::readHistory(runDir);
    std::string lossName;
    try {
        lossName = createMethod(config.method)->lossName();
    } catch (const Error&) {
        // a method this build does not know: the curves go without the loss's name
    }
    for (auto& step : history.steps) {
        step.totalIterations = config.iterations;
        step.lossName = lossName;
    }
    return history;
}

namespace {

    /// `runDir`/config.json, or Error when there is none: what makes a folder a run folder.
    std::filesystem::path runFolderConfigPath(const std::string& runDir)
    {
        const std::filesystem::path path = std::filesystem::path(runDir) / "config.json";
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec))
            throw Error(runDir + ": not a run folder (no config.json)");
        return path;
    }

} // namespace

void appendRunEvaluation(const std::string& runDir, const EvalResult& result)
{
    MetricsLog((runFolderConfigPath(runDir).parent_path() / "metrics.jsonl").string(), false).append(RunFolder::evalLine(result));
}

RunConfig loadRunFolderConfig(const std::string& runDir)
{
    return loadRunConfig(runFolderConfigPath(runDir).string());
}

void Session::prepare(const SessionCallbacks& callbacks, const RunControl* control)
{
    if (d->prepared)
        return;
    auto say = [&](const std::string& line) {
        if (callbacks.onMessage)
            callbacks.onMessage(line);
    };
    RunConfig& config = d->config;
    setThreadCount(config.threads);
    d->device = resolveDevice(config.device);
    applyPerformanceSettings(config.performance, d->device);
    say("loading " + config.data.source + " onto " + d->device);
    d->data = loadDataset(config.data, toTorchDevice(d->device));
    say(d->data->info().summary());
    for (const auto& note : d->data->info().notes)
        say(note);
    checkIpcFits(d->data->info(), config.ipc);

    d->method = createMethod(config.method);
    config = resolveConfig(config, d->data->info());
    const bool resuming = !d->resumeDir.empty();
    if (!resuming && !config.outDir.empty()) {
        d->folder = std::make_unique<RunFolder>(config, d->data->info().name);
        say("run folder " + d->folder->path());
    }

    // Before the method sees the data: it draws only from what the selection keeps.
    translateErrors("data selection", [&] {
        applyDataSelection(*d->data, config, resuming ? d->resumeDir : (d->folder ? d->folder->path() : std::string()),
            resuming, say, callbacks.onStageProgress, control);
    });
    translateErrors(config.method + " initialisation", [&] {
        torch::manual_seed(deriveSeed(config.seed, kStreamInit));
        const MethodContext context{*d->data, config, control, callbacks.onMessage, callbacks.onStageProgress};
        d->method->init(context);
    });
    if (resuming)
        d->resumeFromCheckpoint(say);
    d->keepLastGood();
    d->prepared = true;
    Snapshot start = d->makeSnapshot(d->lastGood, d->lastGoodIteration);
    d->timelineEvery = timelineInterval(config.iterations, config.snapshotEvery, start.images.data.size());
    if (!resuming)
        d->keepTimelineFrame(start, true); // the starting images: where the formation begins
    if (callbacks.onSnapshot)
        callbacks.onSnapshot(start);
}

RunResult Session::run(RunControl& control, const SessionCallbacks& callbacks)
{
    Impl& s = *d;
    // However run() ends, the folder is free for others (e.g. a resume) once it returns.
    struct Unlock
    {
        Impl& s;
        ~Unlock()
        {
            if (s.folder)
                s.folder->unlock();
        }
    } unlockAtEnd{s};
    RunResult result;
    try {
        prepare(callbacks, &control);
    } catch (const Cancelled&) {
        // Stopped while preparing (e.g. training herding's feature network): no set exists yet to keep.
        result.device = s.device;
        result.runDir = runDir();
        result.stopped = true;
        return result;
    }
    const RunConfig& config = s.config;
    result.device = s.device;
    result.runDir = runDir();

    s.lastFlush = Clock::now();
    s.lastCheckpoint = s.lastFlush;
    try {
        while (s.done < config.iterations) {
            const RunControl::Next next = control.next();
            if (next == RunControl::Next::Stop || (control.stopAfter() > 0 && s.done >= control.stopAfter())) {
                result.stopped = true;
                break;
            }
            if (control.takeSyntheticCopyRequest() && callbacks.onSyntheticSet) {
                s.flush(callbacks);
                callbacks.onSyntheticSet(s.hostSet(s.lastGood, s.lastGoodIteration));
            }
            if (control.takeEvaluationRequest()) {
                s.flush(callbacks);
                s.evaluate(s.lastGood, s.done, callbacks, &control, result.evaluations);
                s.lastFlush = Clock::now();
            }
            if (next == RunControl::Next::Service)
                continue;
            const int iteration = s.done + 1;
            s.pending.push_back({iteration, s.stepOnce(iteration)});
            s.done = iteration;

            const bool last = s.done == config.iterations;
            // Read results every snapshotEvery steps, and also when paused (a single "Step" must show at once).
            if (last || s.done % config.snapshotEvery == 0 || control.isPaused())
                s.flush(callbacks);
            if (config.evalEvery > 0 && s.done % config.evalEvery == 0 && !last) {
                s.flush(callbacks);
                s.evaluate(s.lastGood, s.done, callbacks, &control, result.evaluations);
                s.lastFlush = Clock::now();
            }
            if (!last && s.checkpointDue()) {
                s.flush(callbacks);
                s.writeSet(s.lastGood, s.lastGoodIteration, false);
                s.lastFlush = Clock::now();
                s.lastCheckpoint = s.lastFlush;
            }
        }
        s.flush(callbacks);
    } catch (const Cancelled&) {
        result.stopped = true; // stopped inside an evaluation: the set itself is fine
    } catch (const Error& e) {
        // Keep the last good set (finite losses) before reporting: nothing is lost on NaN or out of memory.
        s.pending.clear();
        s.writeSet(s.lastGood, s.lastGoodIteration, true);
        try {
            s.keepLastFrame(callbacks);
        } catch (const Error&) {
            // the set is kept; a missing last frame only shortens the timeline
        }
        std::string message = e.what();
        if (s.folder)
            message += " (the last good synthetic set, iteration " + std::to_string(s.lastGoodIteration) + ", is in "
                + s.folder->path() + ")";
        throw Error(message);
    }

    result.iterations = s.done;
    s.writeSet(s.lastGood, s.lastGoodIteration, true);
    s.keepLastFrame(callbacks);
    if (config.finalEval && !result.stopped && !control.stopRequested()) {
        try {
            s.evaluate(s.lastGood, s.done, callbacks, &control, result.evaluations);
        } catch (const Cancelled&) {
            result.stopped = true;
        }
    }
    return result;
}

void Session::benchmarkStep(int iteration)
{
    if (!d->prepared)
        throw Error("session: not prepared");
    const StepResult step = d->stepOnce(iteration);
    checkFinite(step.loss.item<double>(), "the " + d->config.method + " loss");
}

const RunConfig& Session::config() const
{
    return d->config;
}

const DatasetInfo& Session::dataInfo() const
{
    if (!d->prepared)
        throw Error("session: not prepared");
    return d->data->info();
}

SyntheticSet Session::synthetic() const
{
    if (!d->prepared)
        throw Error("session: not prepared");
    return d->hostSet(d->lastGood, d->lastGoodIteration);
}

Snapshot Session::snapshot() const
{
    if (!d->prepared)
        throw Error("session: not prepared");
    return d->makeSnapshot(d->lastGood, d->lastGoodIteration);
}

std::string Session::runDir() const
{
    return d->folder ? d->folder->path() : std::string();
}

} // namespace distillery::core
