// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "session/runfolder.h"

#include "base/jsonnumbers.h"
#include "formats/atomicfile.h"

#include <distillery/error.h>
#include <distillery/syntheticio.h>
#include <distillery/timeline.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace distillery::core {
namespace {

    /// A field of a metrics.jsonl line, or `fallback` when absent; numbers as strictly as config.json's (an
    /// iteration of 1e300 is refused, not converted). Throws (Error or a JSON exception) on a wrong type.
    template<typename T>
    T field(const nlohmann::json& line, const char* key, T fallback)
    {
        const auto it = line.find(key);
        if (it == line.end())
            return fallback;
        if constexpr (std::is_arithmetic_v<T>)
            return jsonNumber<T>(*it, key);
        else
            return it->get<T>();
    }

    template<typename T>
    T required(const nlohmann::json& line, const char* key)
    {
        if (!line.contains(key))
            throw Error(std::string("metrics.jsonl: no ") + key);
        return field(line, key, T{});
    }

    std::string slug(const std::string& text)
    {
        std::string out;
        for (unsigned char ch : text)
            out.push_back(std::isalnum(ch) ? static_cast<char>(std::tolower(ch)) : '-');
        return out;
    }

} // namespace

FolderLock::FolderLock(const std::string& folder)
    : m_path((fs::path(folder) / "run.lock").string())
{
    std::random_device entropy;
    m_token = std::to_string(getpid()) + " " + std::to_string(entropy()) + std::to_string(entropy());
    for (int attempt = 0; attempt < 2; ++attempt) {
        const int fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd >= 0) {
            const std::string text = m_token + "\n";
            const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
            ::close(fd);
            if (!written)
                break;
            return;
        }
        if (errno != EEXIST)
            break;
        // Someone's lock: honour it while that process lives, take it over when the process is gone.
        long pid = 0;
        std::ifstream(m_path) >> pid;
        const bool alive = pid > 0 && pid != static_cast<long>(getpid())
            && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
        if (alive) {
            m_path.clear();
            throw Error(folder + ": in use by another Distillery process (pid " + std::to_string(pid)
                + "); stop it first (or delete run.lock if that process is not Distillery)");
        }
        std::error_code ec;
        fs::remove(m_path, ec);
    }
    const int error = errno;
    m_path.clear();
    throw Error(folder + ": cannot create run.lock (" + std::string(std::strerror(error)) + ")");
}

FolderLock::FolderLock(FolderLock&& other) noexcept
    : m_path(std::move(other.m_path))
    , m_token(std::move(other.m_token))
{
    other.m_path.clear();
}

FolderLock& FolderLock::operator=(FolderLock&& other) noexcept
{
    if (this != &other) {
        release();
        m_path = std::move(other.m_path);
        m_token = std::move(other.m_token);
        other.m_path.clear();
    }
    return *this;
}

FolderLock::~FolderLock()
{
    release();
}

void FolderLock::release() noexcept
{
    if (m_path.empty())
        return;
    std::string held;
    std::getline(std::ifstream(m_path), held);
    if (held == m_token) { // another session may have taken over a lock we thought stale
        std::error_code ec;
        fs::remove(m_path, ec);
    }
    m_path.clear();
}

RunFolder::RunFolder(const RunConfig& config, const std::string& datasetName)
{
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
    const std::string base
        = std::string(stamp) + "-" + slug(config.method) + "-ipc" + std::to_string(config.ipc) + "-" + slug(datasetName);

    std::error_code ec;
    fs::create_directories(config.outDir, ec);
    if (ec)
        throw Error("outDir: cannot create " + config.outDir + " (" + ec.message() + ")");
    // create_directory is atomic: two runs started in the same second get different folders.
    for (int attempt = 1;; ++attempt) {
        const fs::path candidate = fs::path(config.outDir) / (attempt == 1 ? base : base + "-" + std::to_string(attempt));
        if (fs::create_directory(candidate, ec)) {
            m_path = candidate.string();
            m_lock = FolderLock(m_path);
            break;
        }
        if (ec || attempt > 1000)
            throw Error("outDir: cannot create a run folder in " + config.outDir + (ec ? " (" + ec.message() + ")" : ""));
    }
    saveRunConfig(config, (fs::path(m_path) / "config.json").string());
    m_metrics = MetricsLog((fs::path(m_path) / "metrics.jsonl").string(), true);
}

RunFolder RunFolder::reopen(const std::string& path, const RunConfig& config, int keepThrough)
{
    const fs::path metricsPath = fs::path(path) / "metrics.jsonl";
    std::error_code ec;
    if (!fs::is_directory(path, ec))
        throw Error(path + ": not a run folder");
    RunFolder folder;
    folder.m_path = path;
    folder.m_lock = FolderLock(path); // before touching anything: another process may be writing here
    // A process killed while writing leaves its temporary file (formats/atomicfile.h); nothing reads it, remove it.
    for (const fs::path& folderPath : {fs::path(path), fs::path(path) / "timeline"})
        for (const auto& entry : fs::directory_iterator(folderPath, ec))
            if (entry.path().filename().string().find(".partial") != std::string::npos)
                fs::remove(entry.path(), ec);
    removeTimelineFramesAfter(path, keepThrough); // those steps run again and keep their frames again
    std::vector<std::string> kept;
    {
        std::ifstream in(metricsPath);
        std::string line;
        while (std::getline(in, line)) {
            try {
                const nlohmann::json entry = nlohmann::json::parse(line);
                const int iteration = field(entry, "iteration", 0);
                if (iteration > keepThrough)
                    continue;
                if (field(entry, "type", std::string()) == "step")
                    folder.m_keptStepSeconds = field(entry, "seconds", folder.m_keptStepSeconds);
            } catch (const std::exception&) {
                continue; // a line cut short by a crash, or one with a field of the wrong type: readHistory skips it
            }
            kept.push_back(line);
        }
    }
    saveRunConfig(config, (fs::path(path) / "config.json").string());
    // Rewritten whole or not at all, so a crash here cannot lose the metrics that were there.
    std::string text;
    for (const auto& line : kept)
        text += line + '\n';
    writeTextAtomically(metricsPath.string(), text);
    folder.m_metrics = MetricsLog(metricsPath.string(), false);
    return folder;
}

RunHistory RunFolder::readHistory(const std::string& path)
{
    RunHistory history;
    std::ifstream in(fs::path(path) / "metrics.jsonl");
    std::string line;
    while (std::getline(in, line)) {
        try {
            const nlohmann::json e = nlohmann::json::parse(line);
            const std::string type = field(e, "type", std::string());
            if (type == "step") {
                StepStats s;
                s.iteration = required<int>(e, "iteration");
                s.loss = required<double>(e, "loss");
                s.elapsedSeconds = field(e, "seconds", 0.0);
                s.classTerms = field(e, "class_terms", std::vector<double>{});
                s.stepSizes = field(e, "step_sizes", std::vector<double>{});
                s.unrollCurve = field(e, "unroll_curve", std::vector<double>{});
                s.stepSeconds = history.steps.empty() || s.iteration <= 1
                    ? s.elapsedSeconds / std::max(1, s.iteration)
                    : (s.elapsedSeconds - history.steps.back().elapsedSeconds)
                        / std::max(1, s.iteration - history.steps.back().iteration);
                history.steps.push_back(std::move(s));
            } else if (type == "eval") {
                EvalResult r;
                r.subject = field(e, "subject", std::string("synthetic"));
                r.iteration = field(e, "iteration", -1);
                r.mean = required<double>(e, "mean");
                r.std = field(e, "std", 0.0);
                r.accuracies = field(e, "accuracies", std::vector<double>{});
                r.epochs = field(e, "epochs", 0);
                r.augment = field(e, "augment", std::string());
                r.model = field(e, "model", std::string());
                r.labels = field(e, "labels", std::string("hard"));
                r.learnedLr = field(e, "learned_lr", 0.0);
                r.trainImages = field(e, "train_images", 0);
                r.testImages = field(e, "test_images", 0);
                r.seconds = field(e, "seconds", 0.0);
                history.evaluations.push_back(std::move(r));
            }
        } catch (const std::exception&) {
            continue; // a line cut short by a crash, a field of the wrong type, or a line written by another tool
        }
    }
    return history;
}

std::string RunFolder::checkpointPath(const std::string& folder)
{
    return (fs::path(folder) / "checkpoint.safetensors").string();
}

std::string RunFolder::resumeStatePath(const std::string& folder)
{
    return (fs::path(folder) / "checkpoint-state.safetensors").string();
}

void RunFolder::appendStep(const StepStats& stats)
{
    nlohmann::json line = {{"type", "step"}, {"iteration", stats.iteration}, {"loss", stats.loss},
        {"seconds", stats.elapsedSeconds}};
    if (!stats.classTerms.empty())
        line["class_terms"] = stats.classTerms;
    if (!stats.stepSizes.empty())
        line["step_sizes"] = stats.stepSizes;
    if (!stats.unrollCurve.empty())
        line["unroll_curve"] = stats.unrollCurve;
    m_metrics.append(line.dump());
}

std::string RunFolder::evalLine(const EvalResult& r)
{
    const nlohmann::json line = {{"type", "eval"}, {"subject", r.subject}, {"iteration", r.iteration},
        {"mean", r.mean}, {"std", r.std}, {"accuracies", r.accuracies}, {"epochs", r.epochs}, {"augment", r.augment},
        {"model", r.model}, {"labels", r.labels}, {"learned_lr", r.learnedLr}, {"train_images", r.trainImages},
        {"test_images", r.testImages}, {"seconds", r.seconds}};
    return line.dump();
}

void RunFolder::appendEval(const EvalResult& r)
{
    m_metrics.append(evalLine(r));
}

void RunFolder::writeCheckpoint(const SyntheticSet& set)
{
    saveSafetensors(set, checkpointPath(m_path));
}

void RunFolder::writeFinal(const SyntheticSet& set)
{
    saveSafetensors(set, (fs::path(m_path) / "synthetic.safetensors").string());
    if (hasNpzSupport())
        saveNpz(set, (fs::path(m_path) / "synthetic.npz").string());
    if (hasImageSupport())
        saveGridPng(set, (fs::path(m_path) / "grid.png").string());
}

} // namespace distillery::core
