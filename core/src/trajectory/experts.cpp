// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "trajectory/experts.h"

#include "augment/dsa.h"
#include "formats/atomicfile.h"
#include "formats/crc32.h"
#include "formats/safetensors.h"
#include "formats/tensorarray.h"
#include "nn/functionalnet.h"
#include "nn/training.h"
#include "util/cachepaths.h"
#include "util/torchutil.h"

#include <distillery/error.h>
#include <distillery/runcontrol.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

namespace distillery::core {
namespace fs = std::filesystem;
namespace {

    constexpr std::uint64_t kExpertStream = 0xE7;
    constexpr const char* kFormat = "distillery-expert-trajectory/1";
    constexpr const char* kProgressFormat = "distillery-expert-progress/1";
    constexpr const char* kKeyFile = "key.json";

    std::string megabytes(std::int64_t bytes)
    {
        char text[32];
        std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
        return text;
    }

    std::string readText(const fs::path& path)
    {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }

    bool isExpertFile(const std::string& name)
    {
        static const std::regex pattern(R"(expert-\d{4}\.safetensors)");
        return std::regex_match(name, pattern);
    }

    bool isProgressFile(const std::string& name)
    {
        static const std::regex pattern(R"(progress-\d{4}\.safetensors)");
        return std::regex_match(name, pattern);
    }

} // namespace

// --- key ----------------------------------------------------------------------------------------------------------

std::string ExpertKey::json() const
{
    const nlohmann::json j = {{"format", kFormat}, {"data", dataName}, {"fingerprint", fingerprint},
        {"shape", {channels, height, width}}, {"classes", classes},
        {"model",
            {{"arch", model.arch}, {"width", model.width}, {"depth", model.depth}, {"norm", model.norm},
                {"activation", model.activation}, {"pooling", model.pooling}}},
        {"augment", augment}, {"epochs", epochs}, {"lr", lr}, {"batchSize", batchSize}, {"precision", precision},
        // Part of the key because it decides the bits: experts trained by an older rule are another entry.
        {"seeds", "expert n: initialisation from seed n, each epoch's order and each batch's augmentation from (n, epoch, batch)"}};
    return j.dump(); // nlohmann's objects are sorted maps: the same key always gives the same text
}

std::string ExpertKey::id() const
{
    const std::string text = json();
    char crc[9];
    std::snprintf(crc, sizeof crc, "%08x", crc32Update(0, text.data(), text.size()));
    char lrText[32];
    std::snprintf(lrText, sizeof lrText, "%g", lr);
    std::string arch = model.arch == "convnet" ? "convnet" + std::to_string(model.width) + "x" + std::to_string(model.depth)
                                               : model.arch;
    return lowerDashed(dataName) + "-" + arch + "-e" + std::to_string(epochs) + "-lr" + lrText + "-" + crc;
}

std::string ExpertKey::description() const
{
    char lrText[32];
    std::snprintf(lrText, sizeof lrText, "%g", lr);
    std::string arch = model.arch == "convnet"
        ? "ConvNet-" + std::to_string(model.width) + "x" + std::to_string(model.depth) + " " + model.norm + "/"
            + model.activation + "/" + model.pooling
        : model.arch;
    return dataName + " (" + fingerprint + "), " + arch + ", " + std::to_string(epochs) + " epochs, SGD lr " + lrText
        + ", batch " + std::to_string(batchSize) + ", augmentation " + augment + ", " + precision;
}

// --- store --------------------------------------------------------------------------------------------------------

ExpertStore::ExpertStore(const std::string& dir, ExpertKey key)
    : m_folder((fs::path(dir) / key.id()).string())
    , m_key(std::move(key))
{
}

std::string ExpertStore::file(int index) const
{
    char name[40];
    std::snprintf(name, sizeof name, "expert-%04d.safetensors", index);
    return (fs::path(m_folder) / name).string();
}

bool ExpertStore::has(int index) const
{
    std::error_code ec;
    return fs::is_regular_file(file(index), ec);
}

std::int64_t ExpertStore::bytesPerExpert(std::int64_t parameters) const
{
    const std::int64_t item = m_key.precision == "fp16" ? 2 : 4;
    return (m_key.epochs + 1) * parameters * item + 4096; // + header
}

torch::Tensor ExpertStore::load(int index, std::int64_t parameters) const
{
    const std::string path = file(index);
    const SafetensorsFile f = readSafetensors(path);
    const auto meta = f.metadata.find("key");
    if (meta == f.metadata.end() || f.metadata.count("format") == 0 || f.metadata.at("format") != kFormat)
        throw Error(path + ": not a Distillery expert trajectory (no key in its metadata); remove it");
    if (meta->second != m_key.json())
        throw Error(path + ": this expert was trained for another data set, model or setting (its key: "
            + meta->second + "); remove the folder with `distillery-cli experts remove " + m_key.id() + "`");
    const auto t = f.tensors.find("trajectory");
    const std::string descr = m_key.precision == "fp16" ? "<f2" : "<f4";
    if (t == f.tensors.end() || t->second.descr != descr || t->second.shape.size() != 2
        || t->second.shape[0] != m_key.epochs + 1 || t->second.shape[1] != parameters)
        throw Error(path + ": the trajectory is not " + std::to_string(m_key.epochs + 1) + " × "
            + std::to_string(parameters) + " " + m_key.precision + " values (damaged, or another network)");
    const torch::Tensor out = fromFloatArray(t->second);
    if (!torch::isfinite(out).all().item<bool>())
        throw Error(path + ": the trajectory holds NaN or infinite values (damaged); remove it");
    return out;
}

void ExpertStore::save(int index, const torch::Tensor& trajectory) const
{
    createCacheFolder(m_folder, "expert");
    const std::string keyPath = (fs::path(m_folder) / kKeyFile).string();
    if (!fs::exists(keyPath))
        writeTextAtomically(keyPath, nlohmann::json::parse(m_key.json()).dump(2) + "\n");
    SafetensorsFile f;
    f.tensors["trajectory"] = toFloatArray(trajectory, m_key.precision == "fp16" ? torch::kHalf : torch::kFloat);
    f.metadata = {{"format", kFormat}, {"key", m_key.json()}, {"expert", std::to_string(index)},
        {"description", m_key.description()}};
    writeSafetensors(file(index), f);
}

std::string ExpertStore::progressFile(int index) const
{
    char name[40];
    std::snprintf(name, sizeof name, "progress-%04d.safetensors", index);
    return (fs::path(m_folder) / name).string();
}

void ExpertStore::saveProgress(int index, const ExpertProgress& progress) const
{
    createCacheFolder(m_folder, "expert");
    SafetensorsFile f;
    f.tensors["trajectory"] = toFloatArray(progress.trajectory);
    f.tensors["theta"] = toFloatArray(progress.theta);
    f.metadata = {{"format", kProgressFormat}, {"key", m_key.json()}, {"expert", std::to_string(index)},
        {"epoch", std::to_string(progress.epoch)}, {"batch", std::to_string(progress.batch)}};
    writeSafetensors(progressFile(index), f);
}

std::optional<ExpertProgress> ExpertStore::loadProgress(
    int index, std::int64_t parameters, const std::function<void(const std::string&)>& log) const
{
    const std::string path = progressFile(index);
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return std::nullopt;
    std::string problem;
    try {
        const SafetensorsFile f = readSafetensors(path);
        const auto& m = f.metadata;
        const auto trajectory = f.tensors.find("trajectory");
        const auto theta = f.tensors.find("theta");
        if (m.count("format") == 0 || m.at("format") != kProgressFormat || m.count("key") == 0 || m.at("key") != m_key.json()
            || m.count("epoch") == 0 || m.count("batch") == 0 || trajectory == f.tensors.end() || theta == f.tensors.end())
            problem = "not progress of this key";
        else {
            ExpertProgress p;
            p.epoch = std::stoi(m.at("epoch"));
            p.batch = std::stol(m.at("batch"));
            const auto& t = trajectory->second;
            const auto& th = theta->second;
            if (p.epoch < 0 || p.epoch >= m_key.epochs || p.batch < 0 || t.descr != "<f4" || th.descr != "<f4"
                || t.shape != std::vector<std::int64_t>{p.epoch + 1, parameters} || th.shape != std::vector<std::int64_t>{parameters})
                problem = "its shapes do not fit the network";
            else {
                p.trajectory = fromFloatArray(t);
                p.theta = fromFloatArray(th);
                if (!torch::isfinite(p.theta).all().item<bool>() || !torch::isfinite(p.trajectory).all().item<bool>())
                    problem = "it holds NaN or infinite values";
                else
                    return p;
            }
        }
    } catch (const std::exception& e) {
        problem = e.what();
    }
    fs::remove(path, ec);
    if (log)
        log("expert " + std::to_string(index) + ": discarded its kept progress (" + problem + "); it starts over");
    return std::nullopt;
}

void ExpertStore::removeProgress(int index) const
{
    std::error_code ec;
    fs::remove(progressFile(index), ec);
}

// --- training -----------------------------------------------------------------------------------------------------

torch::Tensor trainExpert(const Dataset& data, const ExpertKey& key, int index,
    const std::function<void(long done, long total)>& progress, const RunControl* control, const ExpertProgress* from,
    const std::function<void(const ExpertProgress&)>& keep)
{
    using Clock = std::chrono::steady_clock;
    const NetworkShape shape = networkShape(data);
    const auto i = static_cast<std::uint64_t>(index);
    Network net = makeSeededNetwork(key.model, shape, deriveSeed(0, kExpertStream, i), data.device());
    const FunctionalNet functional(*net, key.model);
    net->train();
    std::optional<Dsa> dsa;
    if (key.augment != "none")
        dsa.emplace(key.augment, 0);
    torch::optim::SGD optimizer(net->parameters(), torch::optim::SGDOptions(key.lr)); // no momentum, no decay

    const torch::Tensor& images = data.trainImages();
    const torch::Tensor& labels = data.trainLabels();
    const std::int64_t n = images.size(0);
    const long batches = static_cast<long>((n + key.batchSize - 1) / key.batchSize);
    torch::Tensor trajectory = torch::empty({key.epochs + 1, functional.size()}, torch::kFloat);
    int firstEpoch = 0;
    long firstBatch = 0;
    if (from) {
        firstEpoch = from->epoch;
        firstBatch = from->batch;
        trajectory.slice(0, 0, firstEpoch + 1).copy_(from->trajectory);
        functional.load(*net, from->theta.to(data.device()));
    } else {
        trajectory[0].copy_(functional.flatten(*net).cpu());
    }
    // Each epoch's order and each batch's augmentation come from seeds of their own, so training continues from
    // any batch exactly as if it had never stopped.
    const std::uint64_t orderSeed = deriveSeed(1, kExpertStream, i);
    const std::uint64_t batchSeed = deriveSeed(2, kExpertStream, i);
    long done = static_cast<long>(firstEpoch) * batches + firstBatch;
    auto lastKept = Clock::now();
    for (int epoch = firstEpoch; epoch < key.epochs; ++epoch) {
        torch::manual_seed(deriveSeed(orderSeed, static_cast<std::uint64_t>(epoch)));
        const torch::Tensor order = torch::randperm(n, torch::TensorOptions().dtype(torch::kInt64).device(images.device()));
        torch::Tensor lossSum = torch::zeros({}, images.options());
        for (long b = epoch == firstEpoch ? firstBatch : 0; b < batches; ++b) {
            const auto standing = [&] {
                return ExpertProgress{trajectory.slice(0, 0, epoch + 1).clone(), functional.flatten(*net).cpu(), epoch, b};
            };
            if (control && control->stopRequested()) {
                if (keep)
                    keep(standing());
                throw Cancelled();
            }
            if (keep && std::chrono::duration<double>(Clock::now() - lastKept).count() >= kKeepExpertSeconds) {
                keep(standing());
                lastKept = Clock::now();
            }
            const std::uint64_t seed = deriveSeed(batchSeed, static_cast<std::uint64_t>(epoch), static_cast<std::uint64_t>(b));
            torch::manual_seed(seed);
            if (dsa)
                dsa->reseed(seed);
            const std::int64_t start = b * key.batchSize;
            const torch::Tensor loss = trainStep(
                *net, optimizer, images, labels, order.slice(0, start, std::min(n, start + key.batchSize)), dsa ? &*dsa : nullptr);
            lossSum += loss.detach();
            if (progress)
                progress(++done, batches * key.epochs);
        }
        // A resumed epoch sums only its own batches; the check below only needs to see a NaN.
        const double meanLoss = lossSum.item<double>() / static_cast<double>(batches);
        if (!std::isfinite(meanLoss))
            throw Error("expert " + std::to_string(index) + " diverged in epoch " + std::to_string(epoch + 1)
                + " (training loss " + std::to_string(meanLoss) + "); lower params.lrTeacher");
        trajectory[epoch + 1].copy_(functional.flatten(*net).cpu());
    }
    return trajectory;
}

void ensureExperts(const Dataset& data, const ExpertStore& store, int count, std::int64_t parameters,
    const std::function<void(const std::string&)>& log, const StageProgressFn& progress, const RunControl* control)
{
    std::vector<int> missing;
    for (int e = 0; e < count; ++e)
        if (!store.has(e))
            missing.push_back(e);
        else
            store.removeProgress(e); // a kill between saving an expert and removing its progress
    const std::int64_t need = store.bytesPerExpert(parameters) * static_cast<std::int64_t>(missing.size());
    if (log)
        log("expert trajectories: " + std::to_string(count - static_cast<int>(missing.size())) + " of "
            + std::to_string(count) + " found in " + store.folder()
            + (missing.empty() ? "" : "; training " + std::to_string(missing.size()) + " (" + megabytes(need) + " on disk)"));
    if (missing.empty())
        return;
    std::error_code ec;
    fs::path existing = fs::path(store.folder());
    while (!existing.empty() && !fs::exists(existing, ec))
        existing = existing.parent_path();
    if (existing.empty())
        existing = fs::current_path(ec);
    const fs::space_info space = fs::space(existing, ec);
    if (!ec && static_cast<std::int64_t>(space.available) < need)
        throw Error(store.folder() + ": the expert trajectories need " + megabytes(need) + " but only "
            + megabytes(static_cast<std::int64_t>(space.available))
            + " are free there; free some space or choose another folder (expertsDir, --experts-dir)");

    const std::string stage = "training expert trajectories";
    const std::int64_t n = data.trainImages().size(0);
    const long perExpert = static_cast<long>((n + store.key().batchSize - 1) / store.key().batchSize) * store.key().epochs;
    const long total = perExpert * static_cast<long>(missing.size());
    long finished = 0;
    for (int e : missing) {
        const std::optional<ExpertProgress> from = store.loadProgress(e, parameters, log);
        if (from && log)
            log("expert " + std::to_string(e) + ": continuing where it stopped (epoch " + std::to_string(from->epoch + 1)
                + ", batch " + std::to_string(from->batch) + ")");
        const torch::Tensor trajectory = trainExpert(data, store.key(), e,
            [&](long done, long) {
                if (progress)
                    progress({stage, "batches", finished + done, total});
            },
            control, from ? &*from : nullptr, [&](const ExpertProgress& p) { store.saveProgress(e, p); });
        store.save(e, trajectory);
        store.removeProgress(e);
        finished += perExpert;
    }
}

// --- in memory ----------------------------------------------------------------------------------------------------

ExpertCache::ExpertCache(const ExpertStore& store, std::int64_t parameters, std::int64_t budgetBytes)
    : m_store(store)
    , m_parameters(parameters)
    , m_budget(budgetBytes)
{
}

torch::Tensor ExpertCache::snapshot(int index, int epoch)
{
    auto it = std::find_if(m_loaded.begin(), m_loaded.end(), [&](const auto& e) { return e.first == index; });
    if (it == m_loaded.end()) {
        m_loaded.emplace_front(index, m_store.load(index, m_parameters));
        std::int64_t bytes = 0;
        for (auto e = m_loaded.begin(); e != m_loaded.end();) {
            bytes += e->second.numel() * 4;
            if (e != m_loaded.begin() && bytes > m_budget)
                e = m_loaded.erase(e);
            else
                ++e;
        }
    } else if (it != m_loaded.begin()) {
        m_loaded.splice(m_loaded.begin(), m_loaded, it);
    }
    return m_loaded.front().second[epoch];
}

// --- the public view ----------------------------------------------------------------------------------------------

std::string defaultExpertsDir()
{
    return userDataDir("experts");
}

std::string expertsDirOr(const std::string& configured)
{
    return configured.empty() ? defaultExpertsDir() : configured;
}

std::vector<ExpertCacheEntry> listExpertCaches(const std::string& dir)
{
    std::vector<ExpertCacheEntry> entries;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return entries;
    for (const auto& folder : fs::directory_iterator(dir, ec)) {
        if (!folder.is_directory())
            continue;
        ExpertCacheEntry e;
        e.id = folder.path().filename().string();
        e.folder = folder.path().string();
        for (const auto& f : fs::directory_iterator(folder.path(), ec)) {
            if (!f.is_regular_file())
                continue;
            e.bytes += static_cast<std::int64_t>(f.file_size());
            if (isExpertFile(f.path().filename().string()))
                ++e.experts;
            else if (isProgressFile(f.path().filename().string()))
                ++e.inProgress;
        }
        const fs::path keyPath = folder.path() / kKeyFile;
        try {
            const auto key = nlohmann::json::parse(readText(keyPath));
            const auto& m = key.at("model");
            e.epochs = key.at("epochs").get<int>();
            e.description = key.at("data").get<std::string>() + ", " + m.at("arch").get<std::string>() + "-"
                + std::to_string(m.at("width").get<int>()) + "x" + std::to_string(m.at("depth").get<int>()) + ", "
                + std::to_string(e.epochs) + " epochs, lr " + key.at("lr").dump() + ", augmentation "
                + key.at("augment").get<std::string>() + ", " + key.at("precision").get<std::string>();
        } catch (const std::exception&) {
            e.problems.push_back(keyPath.string() + ": missing or damaged (this entry cannot be used; remove it)");
        }
        entries.push_back(std::move(e));
    }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return entries;
}

void removeExpertCache(const std::string& dir, const std::string& id)
{
    if (id.empty() || id.find('/') != std::string::npos || id == "." || id == "..")
        throw Error("experts remove: \"" + id + "\" is not an entry name (see `distillery-cli experts list`)");
    const fs::path folder = fs::path(dir) / id;
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw Error("experts remove: no entry " + id + " in " + dir);
    fs::remove_all(folder, ec);
    if (ec)
        throw Error(folder.string() + ": cannot remove (" + ec.message() + ")");
}

} // namespace distillery::core
