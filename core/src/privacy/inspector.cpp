// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The privacy inspector (docs/privacy.md): nearest real neighbours with SSIM/PSNR, distance to closest record against
// held-out baselines, nearest/second-nearest ratio, and the loss-threshold membership-inference attack next to
// a random real subset of the same size.
#include "data/dataset.h"
#include "data/synthetictensors.h"
#include "nn/training.h"
#include "privacy/findings.h"
#include "privacy/similarity.h"
#include "privacy/statistics.h"
#include "util/torchutil.h"

#include <distillery/device.h>
#include <distillery/error.h>
#include <distillery/methods.h>
#include <distillery/privacy.h>
#include <distillery/runcontrol.h>
#include <distillery/syntheticio.h>

#include <chrono>
#include <cmath>
#include <numeric>
#include <set>
#include <sstream>

namespace distillery::core {
namespace {

    // Synthetic rows per block of the distance matrix: a block × 60 000 float matrix stays near 60 MB.
    constexpr std::int64_t kQueryBlock = 256;
    constexpr std::uint64_t kStreamReference = 0xA1;
    constexpr std::uint64_t kStreamMembership = 0xA2;
    constexpr std::uint64_t kStreamBootstrap = 0xA3;
    // Similarity levels (a Distillery choice, stated wherever the colours show).
    constexpr double kHighSsim = 0.95;
    constexpr double kElevatedSsim = 0.80;

    using Clock = std::chrono::steady_clock;
    double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

    /// Squared L2 distances between rows of q (n×D) and r (m×D), clamped at 0 (docs/privacy.md §3: one product).
    torch::Tensor squaredDistances(const torch::Tensor& q, const torch::Tensor& r, const torch::Tensor& rNorms)
    {
        return ((q * q).sum(1, true) + rNorms.unsqueeze(0) - 2 * q.matmul(r.t())).clamp_min(0);
    }

    struct Nearest
    {
        torch::Tensor indices; ///< n × k into the reference
        torch::Tensor distances; ///< n × k, exact L2
    };

    /// The k nearest reference rows of every query row, exact distances recomputed for them. When `initIndex`
    /// is given, also the 1-based rank of that reference row for each query (−1 where the index is −1).
    Nearest nearest(const torch::Tensor& queries, const torch::Tensor& reference, int k, const torch::Tensor* initIndex,
        std::vector<int>* initRank)
    {
        torch::NoGradGuard noGrad;
        const torch::Tensor norms = (reference * reference).sum(1);
        std::vector<torch::Tensor> indices, distances;
        const auto n = queries.size(0);
        for (std::int64_t start = 0; start < n; start += kQueryBlock) {
            const auto end = std::min(n, start + kQueryBlock);
            const torch::Tensor q = queries.slice(0, start, end);
            const torch::Tensor d2 = squaredDistances(q, reference, norms);
            const auto top = d2.topk(k, 1, /*largest=*/false, /*sorted=*/true);
            const torch::Tensor idx = std::get<1>(top);
            // Exact distances for the candidates: the expanded form loses digits for near-identical images.
            const torch::Tensor exact = (q.unsqueeze(1) - reference.index_select(0, idx.reshape({-1})).view({end - start, k, -1}))
                                            .pow(2)
                                            .sum(2)
                                            .sqrt();
            const auto order = exact.sort(1);
            indices.push_back(idx.gather(1, std::get<1>(order)));
            distances.push_back(std::get<0>(order));
            if (initIndex && initRank) {
                const torch::Tensor init = initIndex->slice(0, start, end).to(queries.device());
                const torch::Tensor valid = init >= 0;
                const torch::Tensor initD2 = d2.gather(1, init.clamp_min(0).unsqueeze(1));
                const torch::Tensor rank = (d2 < initD2).sum(1) + 1;
                const auto ranks = toInt64Vector(torch::where(valid, rank, torch::full_like(rank, -1)));
                initRank->insert(initRank->end(), ranks.begin(), ranks.end());
            }
        }
        return {torch::cat(indices), torch::cat(distances)};
    }

    /// DCR: the distance from each query row to its closest reference row.
    torch::Tensor closestDistance(const torch::Tensor& queries, const torch::Tensor& reference)
    {
        return nearest(queries, reference, 1, nullptr, nullptr).distances.select(1, 0);
    }

    std::vector<double> toDoubles(const torch::Tensor& t)
    {
        const torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat64).contiguous();
        return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
    }

    double median(const std::vector<double>& v) { return percentile(v, 50); }

    /// `count` distinct random rows of `pool` (a permutation prefix), on the pool's device.
    torch::Tensor randomRows(std::int64_t poolSize, std::int64_t count, torch::Device device)
    {
        return torch::randperm(poolSize, torch::TensorOptions().dtype(torch::kInt64).device(device)).slice(0, 0, count);
    }

    /// Test images with the same class counts as `labels` (for pools that must match their members).
    torch::Tensor matchingHeldOut(const Dataset& data, const torch::Tensor& labels)
    {
        std::vector<torch::Tensor> picked;
        const torch::Tensor counts = torch::bincount(labels.to(torch::kCPU), {}, data.numClasses());
        for (int c = 0; c < data.numClasses(); ++c) {
            const auto want = counts[c].item<std::int64_t>();
            if (want == 0)
                continue;
            const torch::Tensor pool = torch::nonzero(data.testLabels() == c).flatten();
            if (pool.size(0) < want)
                throw Error("privacy: the test split has " + std::to_string(pool.size(0)) + " images of class " + std::to_string(c)
                    + ", the pool needs " + std::to_string(want));
            picked.push_back(pool.index_select(0, randomRows(pool.size(0), want, pool.device())));
        }
        return torch::cat(picked);
    }

    /// Per-image attack score t(x) = −ℓ(f(x), y), averaged over the target models (an ensemble of the r seeds).
    torch::Tensor attackScores(std::vector<Network>& models, const torch::Tensor& images, const torch::Tensor& labels)
    {
        torch::NoGradGuard noGrad;
        torch::Tensor total = torch::zeros({images.size(0)}, torch::TensorOptions().dtype(torch::kFloat64).device(images.device()));
        constexpr std::int64_t kBatch = 1000;
        for (auto& net : models) {
            net->eval();
            std::vector<torch::Tensor> parts;
            for (std::int64_t s = 0; s < images.size(0); s += kBatch) {
                const auto e = std::min(images.size(0), s + kBatch);
                parts.push_back(-torch::nn::functional::cross_entropy(net->forward(images.slice(0, s, e)), labels.slice(0, s, e),
                    torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kNone)));
            }
            total += torch::cat(parts).to(torch::kFloat64);
        }
        return total / static_cast<double>(models.size());
    }

    std::string format(double v, int digits = 3)
    {
        std::ostringstream s;
        s.setf(std::ios::fixed);
        s.precision(digits);
        s << v;
        return s.str();
    }

} // namespace

std::string similarityThresholds()
{
    return "Similarity levels (a Distillery convention, not a privacy guarantee): high = an exact copy, SSIM ≥ "
        + format(kHighSsim, 2)
        + " to the nearest training image, or a nearest/second-nearest ratio below the 1st percentile of held-out "
          "real images; elevated = SSIM ≥ "
        + format(kElevatedSsim, 2)
        + ", or still nearest to the real image it started from; low = neither.";
}

PrivacyReport inspectPrivacy(const SyntheticSet& set, const PrivacyOptions& options,
    const std::function<void(const PrivacyProgress&)>& progress, const RunControl* control)
{
    checkConsistent(set);
    if (options.k < 1 || options.referenceSize < 2 || options.referenceDraws < 1 || options.membershipSeeds < 1)
        throw Error("privacy: k, reference size, draws and seeds must be positive");
    setThreadCount(options.threads);
    const std::string device = resolveDevice(options.device);
    auto report = [&](const std::string& stage, int done, int total) {
        if (control && control->stopRequested())
            throw Cancelled();
        if (progress)
            progress({stage, done, total});
    };

    return translateErrors("privacy", [&] {
        report("loading " + options.data.source, 0, 1);
        const auto data = loadDataset(options.data, toTorchDevice(device));
        checkFitsDataset(set, *data);
        const Dataset& d = *data;
        const auto dev = d.device();
        const auto n = static_cast<std::int64_t>(set.images.count);
        if (const std::string why = privacyCannotRun(n, d.testImages().size(0), d.info().source); !why.empty())
            throw Error(why);

        PrivacyReport r;
        r.datasetName = d.info().name;
        r.datasetSource = d.info().source;
        r.method = set.metadata.count("method") ? set.metadata.at("method") : "unknown";
        r.ipc = set.ipc();
        try {
            r.realImages = methodInfo(r.method).selectsRealImages;
        } catch (const Error&) {
            r.realImages = false; // a set from an unknown method: judged as synthetic
        }
        r.membershipSeeds = options.membershipInference ? options.membershipSeeds : 0;
        r.space = "pixels: L2 on de-normalised values (not clamped); SSIM and PSNR on the 8-bit scale";

        // Pixel space: p = x·σ + μ, not clamped (distilled pixels may leave [0, 1]).
        const torch::Tensor mean = fromFloatVector(d.info().mean, {1, d.channels(), 1, 1}).to(dev);
        const torch::Tensor stdv = fromFloatVector(d.info().std, {1, d.channels(), 1, 1}).to(dev);
        auto pixels = [&](const torch::Tensor& normalised) { return normalised * stdv + mean; };
        const SyntheticTensors synthetic = toTensors(set, dev);
        // The set carries its own normalisation (it may come from another tool or an older version of the data).
        const torch::Tensor sPix = synthetic.images * fromFloatVector(set.std, {1, d.channels(), 1, 1}).to(dev)
            + fromFloatVector(set.mean, {1, d.channels(), 1, 1}).to(dev);
        // Members: the training images the method could draw from (all, or what data selection kept). Positions in
        // trainPix/trainFlat are positions among the members; memberIndex maps them back to training indices.
        const std::int64_t trainCount = d.trainImages().size(0);
        torch::Tensor memberIndex;
        if (options.members.empty()) {
            memberIndex = torch::arange(trainCount, torch::TensorOptions().dtype(torch::kInt64).device(dev));
        } else {
            memberIndex = fromInt64Vector(options.members).to(dev);
            if (memberIndex.min().item<std::int64_t>() < 0 || memberIndex.max().item<std::int64_t>() >= trainCount)
                throw Error("privacy: a member index lies outside the " + std::to_string(trainCount) + " training images");
        }
        r.memberImages = memberIndex.size(0);
        r.trainImages = trainCount;
        const torch::Tensor allTrainPix = pixels(d.trainImages());
        const torch::Tensor trainPix = options.members.empty() ? allTrainPix : allTrainPix.index_select(0, memberIndex);
        const torch::Tensor testPix = pixels(d.testImages());
        const torch::Tensor sFlat = sPix.flatten(1), trainFlat = trainPix.flatten(1), testFlat = testPix.flatten(1);
        auto to255 = [](const torch::Tensor& p) { return p.clamp(0.0, 1.0).mul(255.0); };

        // --- nearest neighbours, SSIM, PSNR, start images (§4.1, §4.5) --------------------------------------
        auto started = Clock::now();
        report("nearest training images", 0, 1);
        const int k = static_cast<int>(std::min<std::int64_t>(options.k, trainFlat.size(0)));
        const torch::Tensor initIndex = synthetic.initIndices.to(dev);
        // The start images among the members (−1: noise, or a start image that is not a member).
        const torch::Tensor memberPosition = torch::full({trainCount}, -1, initIndex.options())
                                                 .index_put_({memberIndex}, torch::arange(memberIndex.size(0), initIndex.options()));
        const torch::Tensor initMember = torch::where(initIndex >= 0, memberPosition.index_select(0, initIndex.clamp_min(0)), initIndex);
        std::vector<int> initRank;
        const Nearest toTrain = nearest(sFlat, trainFlat, std::max(k, 2), &initMember, &initRank);
        const Nearest toTest = nearest(sFlat, testFlat, 1, nullptr, nullptr);
        report("SSIM and PSNR of the candidates", 0, 1);
        struct Similarity
        {
            std::vector<double> ssim, psnr;
            std::vector<bool> identical; ///< equal on the 8-bit scale: every pixel within half a grey level
        };
        auto similarity = [&](const torch::Tensor& references) { // references: n × C×H×W pixels
            const torch::Tensor a = to255(sPix), b = to255(references);
            Similarity out{toDoubles(ssimBatch(a, b)), toDoubles(psnrBatch(a, b)), {}};
            for (double v : toDoubles((a - b).abs().flatten(1).amax(1)))
                out.identical.push_back(v < 0.5);
            return out;
        };
        auto match = [](std::int64_t index, std::int64_t label, double l2, const Similarity& sim, std::size_t i) {
            return NeighbourMatch{index, label, l2, sim.ssim[i], sim.psnr[i], sim.identical[i]};
        };
        std::vector<Similarity> trainSimilarity;
        for (int j = 0; j < k; ++j)
            trainSimilarity.push_back(similarity(trainPix.index_select(0, toTrain.indices.select(1, j))));
        const auto testSimilarity = similarity(testPix.index_select(0, toTest.indices.select(1, 0)));
        const torch::Tensor initPix = torch::where((initIndex >= 0).view({-1, 1, 1, 1}),
            allTrainPix.index_select(0, initIndex.clamp_min(0)), torch::zeros_like(sPix));
        const auto initSimilarity = similarity(initPix);
        const torch::Tensor initL2 = (sFlat - initPix.flatten(1)).pow(2).sum(1).sqrt();
        r.neighbourSeconds = since(started);

        // --- DCR against equal-size reference sets (§4.2) and NNDR (§4.3) ------------------------------------
        started = Clock::now();
        torch::manual_seed(deriveSeed(options.seed, kStreamReference));
        const auto testCount = d.testImages().size(0);
        const std::int64_t m = std::min<std::int64_t>({options.referenceSize, trainFlat.size(0), testCount - n});
        const torch::Tensor testOrder = randomRows(testCount, testCount, dev);
        const torch::Tensor heldOutRef = testOrder.slice(0, 0, m); // H′
        const torch::Tensor heldOutBaseline = testOrder.slice(0, m, m + n); // H_b: #S held-out images not in H′
        torch::Tensor dcrTrainSum = torch::zeros({n}, sFlat.options());
        torch::Tensor firstDrawTrain, baselineToTrain;
        for (int draw = 0; draw < options.referenceDraws; ++draw) {
            report("distances to closest record", draw, options.referenceDraws);
            const torch::Tensor trainRef = trainFlat.index_select(0, randomRows(trainFlat.size(0), m, dev)); // P′
            const torch::Tensor dcr = closestDistance(sFlat, trainRef);
            dcrTrainSum += dcr;
            if (draw == 0) {
                firstDrawTrain = dcr;
                baselineToTrain = closestDistance(testFlat.index_select(0, heldOutBaseline), trainRef);
            }
        }
        const torch::Tensor dcrTrain = dcrTrainSum / static_cast<double>(options.referenceDraws);
        const torch::Tensor dcrTest = closestDistance(sFlat, testFlat.index_select(0, heldOutRef));
        r.dcr.referenceSize = static_cast<int>(m);
        r.dcr.draws = options.referenceDraws;
        r.dcr.syntheticToTraining = toDoubles(firstDrawTrain);
        r.dcr.syntheticToHeldOut = toDoubles(dcrTest);
        r.dcr.heldOutToTraining = toDoubles(baselineToTrain);
        const auto dcrTrainHost = toDoubles(dcrTrain), dcrTestHost = toDoubles(dcrTest);
        int closer = 0;
        for (std::int64_t i = 0; i < n; ++i)
            closer += dcrTrainHost[i] < dcrTestHost[i]; // strict: ties count as held-out
        r.dcr.shareCloserToTraining = wilsonInterval(closer, static_cast<int>(n));
        r.dcr.overfittingProtection = std::min(2 * (1 - r.dcr.shareCloserToTraining.value), 1.0);
        const double medianTest = median(dcrTestHost), medianBaseline = median(r.dcr.heldOutToTraining);
        r.dcr.baselineProtection = medianTest > 0 ? std::min(median(dcrTrainHost) / medianTest, 1.0) : 0.0;
        r.dcr.realToRealMedianRatio = medianBaseline > 0 ? median(dcrTrainHost) / medianBaseline : 0.0;
        const double p5Baseline = percentile(r.dcr.heldOutToTraining, 5);
        r.dcr.realToRealP5Ratio = p5Baseline > 0 ? percentile(dcrTrainHost, 5) / p5Baseline : 0.0;

        const torch::Tensor nndr = toTrain.distances.select(1, 0) / toTrain.distances.select(1, 1).clamp_min(1e-12);
        const Nearest baselineNearest = nearest(testFlat.index_select(0, heldOutBaseline), trainFlat, 2, nullptr, nullptr);
        r.nndr.synthetic = toDoubles(nndr);
        r.nndr.baseline = toDoubles(baselineNearest.distances.select(1, 0) / baselineNearest.distances.select(1, 1).clamp_min(1e-12));
        r.nndr.baselineP1 = percentile(r.nndr.baseline, 1);
        r.dcrSeconds = since(started);

        // --- per-image records -------------------------------------------------------------------------------
        const auto trainIdx = toInt64Vector(memberIndex.index_select(0, toTrain.indices.reshape({-1})));
        const auto testIdx = toInt64Vector(toTest.indices);
        const auto trainDist = toDoubles(toTrain.distances), testDist = toDoubles(toTest.distances);
        const auto trainLabels = toInt64Vector(d.trainLabels()), testLabels = toInt64Vector(d.testLabels());
        const auto initIdx = toInt64Vector(synthetic.initIndices);
        const auto initL2Host = toDoubles(initL2);
        const int kk = static_cast<int>(toTrain.indices.size(1));
        int rankOne = 0, withInit = 0;
        for (std::int64_t i = 0; i < n; ++i) {
            ImagePrivacy p;
            p.index = static_cast<int>(i);
            p.label = set.labels[static_cast<std::size_t>(i)];
            p.initIndex = initIdx[static_cast<std::size_t>(i)];
            const auto row = static_cast<std::size_t>(i);
            for (int j = 0; j < k; ++j) {
                const auto at = static_cast<std::size_t>(i * kk + j);
                p.nearestTraining.push_back(match(trainIdx[at], trainLabels[static_cast<std::size_t>(trainIdx[at])],
                    trainDist[at], trainSimilarity[static_cast<std::size_t>(j)], row));
            }
            p.nearestHeldOut = match(testIdx[row], testLabels[static_cast<std::size_t>(testIdx[row])], testDist[row], testSimilarity, row);
            if (p.initIndex >= 0) {
                p.initImage = match(p.initIndex, trainLabels[static_cast<std::size_t>(p.initIndex)], initL2Host[row],
                    initSimilarity, row);
                p.initRank = initRank[static_cast<std::size_t>(i)];
                ++withInit;
                rankOne += p.initRank == 1;
            }
            p.dcrTraining = dcrTrainHost[static_cast<std::size_t>(i)];
            p.dcrHeldOut = dcrTestHost[static_cast<std::size_t>(i)];
            p.nndr = r.nndr.synthetic[static_cast<std::size_t>(i)];
            const NeighbourMatch& best = p.nearestTraining.front();
            p.exactCopy = best.identical; // what an 8-bit export would show as the same image
            p.ownInit = p.initIndex >= 0 && best.index == p.initIndex;
            p.closerToTraining = p.dcrTraining < p.dcrHeldOut;
            p.otherClass = best.label != p.label;
            r.nndr.flagged += p.nndr < r.nndr.baselineP1;
            if (p.exactCopy || best.ssim >= kHighSsim || p.nndr < r.nndr.baselineP1)
                p.level = "high";
            else if (best.ssim >= kElevatedSsim || p.initRank == 1)
                p.level = "elevated";
            else
                p.level = "low";
            r.images.push_back(std::move(p));
        }
        r.shareInitRankOne = withInit > 0 ? static_cast<double>(rankOne) / withInit : 0.0;

        // Galleries in the final order (closest first).
        std::sort(r.images.begin(), r.images.end(),
            [](const ImagePrivacy& a, const ImagePrivacy& b) { return a.nearestTraining.front().l2 < b.nearestTraining.front().l2; });
        std::vector<std::int64_t> order, nearestTrain, nearestTest;
        for (const auto& p : r.images) {
            order.push_back(p.index);
            nearestTrain.push_back(p.nearestTraining.front().index);
            nearestTest.push_back(p.nearestHeldOut.index);
        }
        const auto meanV = d.info().mean, stdV = d.info().std;
        auto display = [&](const torch::Tensor& pix) { return toDisplay((pix - mean) / stdv, meanV, stdV); };
        const torch::Tensor orderT = fromInt64Vector(order).to(dev);
        r.syntheticPixels = display(sPix.index_select(0, orderT));
        r.nearestTrainingPixels = display(allTrainPix.index_select(0, fromInt64Vector(nearestTrain).to(dev)));
        r.nearestHeldOutPixels = display(testPix.index_select(0, fromInt64Vector(nearestTest).to(dev)));
        r.initPixels = display(initPix.index_select(0, orderT));

        // --- membership inference (§4.4) --------------------------------------------------------------------
        if (options.membershipInference) {
            started = Clock::now();
            torch::manual_seed(deriveSeed(options.seed, kStreamMembership));
            EvalConfig protocol = options.eval;
            resolveEvalProtocol(protocol);
            // R: a random real subset with the same class counts as S.
            const torch::Tensor sLabels = synthetic.labels;
            std::vector<torch::Tensor> rPicked;
            const torch::Tensor classCounts = torch::bincount(sLabels.to(torch::kCPU), {}, d.numClasses());
            for (int c = 0; c < d.numClasses(); ++c)
                if (classCounts[c].item<std::int64_t>() > 0)
                    rPicked.push_back(d.sampleClassIndices(c, classCounts[c].item<std::int64_t>()));
            const torch::Tensor rIndex = torch::cat(rPicked);

            auto train = [&](const TrainingSet& ts, const std::string& what, std::uint64_t stream) {
                std::vector<Network> models;
                double accuracy = 0;
                for (int s = 0; s < options.membershipSeeds; ++s) {
                    report("membership inference: training on the " + what, s, options.membershipSeeds);
                    const std::uint64_t seed = deriveSeed(options.seed, stream, static_cast<std::uint64_t>(s));
                    models.push_back(trainNetwork(ts, d, options.model, protocol, seed, seed + 1, {}, control));
                    accuracy += testAccuracy(*models.back(), options.model, d);
                }
                return std::make_pair(std::move(models), accuracy / options.membershipSeeds);
            };
            auto [synModels, synAccuracy] = train({synthetic.images, synthetic.trainingLabels()}, "synthetic set", 0xB1);
            auto [realModels, realAccuracy] = train({d.trainImages().index_select(0, rIndex), d.trainLabels().index_select(0, rIndex)},
                "random real subset", 0xB2);

            struct Pool
            {
                std::string name;
                torch::Tensor members; ///< training indices
                torch::Tensor nonMembers; ///< test indices
            };
            std::vector<Pool> pools;
            const std::int64_t poolSize = std::min<std::int64_t>({options.membershipPool, testCount, trainFlat.size(0)});
            pools.push_back({"all members", memberIndex.index_select(0, randomRows(trainFlat.size(0), poolSize, dev)),
                randomRows(testCount, poolSize, dev)});
            std::vector<std::int64_t> inits;
            for (auto idx : initIdx)
                if (idx >= 0)
                    inits.push_back(idx);
            std::sort(inits.begin(), inits.end());
            inits.erase(std::unique(inits.begin(), inits.end()), inits.end());
            if (!inits.empty()) {
                const torch::Tensor initT = fromInt64Vector(inits).to(dev);
                pools.push_back({"initial images", initT, matchingHeldOut(d, d.trainLabels().index_select(0, initT))});
            }
            pools.push_back({"random real subset", rIndex, matchingHeldOut(d, d.trainLabels().index_select(0, rIndex))});

            report("membership inference: attacking", 0, static_cast<int>(pools.size()));
            std::uint64_t bootSeed = deriveSeed(options.seed, kStreamBootstrap);
            auto tprStat = [](double alpha) {
                return [alpha](const std::vector<double>& mm, const std::vector<double>& nn) { return tprAtFpr(rocOf(mm, nn), alpha); };
            };
            for (const auto& pool : pools) {
                const torch::Tensor mImages = d.trainImages().index_select(0, pool.members);
                const torch::Tensor mLabels = d.trainLabels().index_select(0, pool.members);
                const torch::Tensor hImages = d.testImages().index_select(0, pool.nonMembers);
                const torch::Tensor hLabels = d.testLabels().index_select(0, pool.nonMembers);
                std::vector<std::vector<double>> memberScores, nonMemberScores;
                for (int t = 0; t < 2; ++t) {
                    auto& models = t == 0 ? synModels : realModels;
                    const auto ms = toDoubles(attackScores(models, mImages, mLabels));
                    const auto ns = toDoubles(attackScores(models, hImages, hLabels));
                    MembershipResult res;
                    res.pool = pool.name;
                    res.target = t == 0 ? "synthetic set" : "random real subset (baseline)";
                    res.members = static_cast<int>(ms.size());
                    res.nonMembers = static_cast<int>(ns.size());
                    res.auc = bootstrapInterval(ms, ns, options.bootstrap, ++bootSeed, aucOf);
                    res.tprAt1Valid = res.nonMembers >= 100;
                    res.tprAt01Valid = res.nonMembers >= 1000;
                    res.tprAt1 = bootstrapInterval(ms, ns, res.tprAt1Valid ? options.bootstrap : 0, ++bootSeed, tprStat(0.01));
                    res.tprAt01 = bootstrapInterval(ms, ns, res.tprAt01Valid ? options.bootstrap : 0, ++bootSeed, tprStat(0.001));
                    const auto roc = rocOf(ms, ns);
                    for (const auto& pt : roc)
                        res.advantage = std::max(res.advantage, pt.tpr - pt.fpr);
                    res.roc = thinRoc(roc, 200);
                    res.targetAccuracy = t == 0 ? synAccuracy : realAccuracy;
                    r.membership.push_back(res);
                    memberScores.push_back(ms);
                    nonMemberScores.push_back(ns);
                }
                // AUC(S) − AUC(R) on the same members and non-members: resample image indices jointly.
                MembershipDifference diff;
                diff.pool = pool.name;
                const auto& mS = memberScores[0];
                const auto& nS = nonMemberScores[0];
                const auto& mR = memberScores[1];
                const auto& nR = nonMemberScores[1];
                diff.aucDifference.value = aucOf(mS, nS) - aucOf(mR, nR);
                std::mt19937_64 rng(++bootSeed);
                std::uniform_int_distribution<std::size_t> pm(0, mS.size() - 1), pn(0, nS.size() - 1);
                std::vector<double> diffs;
                for (int b = 0; b < options.bootstrap; ++b) {
                    std::vector<double> a1, a2, b1, b2;
                    for (std::size_t i = 0; i < mS.size(); ++i) {
                        const auto j = pm(rng);
                        a1.push_back(mS[j]);
                        b1.push_back(mR[j]);
                    }
                    for (std::size_t i = 0; i < nS.size(); ++i) {
                        const auto j = pn(rng);
                        a2.push_back(nS[j]);
                        b2.push_back(nR[j]);
                    }
                    diffs.push_back(aucOf(a1, a2) - aucOf(b1, b2));
                }
                diff.aucDifference.low = diffs.empty() ? diff.aucDifference.value : percentile(diffs, 2.5);
                diff.aucDifference.high = diffs.empty() ? diff.aucDifference.value : percentile(diffs, 97.5);
                r.differences.push_back(diff);
            }

            // Result states (§5). The sanity check: the baseline models must be caught on their own training images.
            const MembershipResult* sanity = nullptr;
            for (const auto& res : r.membership)
                if (res.pool == "random real subset" && res.target != "synthetic set")
                    sanity = &res;
            const bool attackWorks = sanity && sanity->auc.low > 0.5;
            const bool targetLearned = synAccuracy > 1.0 / d.numClasses() + 0.05;
            for (auto& diff : r.differences) {
                if (!attackWorks || !targetLearned)
                    diff.state = "cannot be trusted";
                else if (diff.aucDifference.low > 0)
                    diff.state = "leakage detected";
                else
                    diff.state = "no leakage detected by this test";
            }
            for (auto& res : r.membership) {
                const bool isSynthetic = res.target == "synthetic set";
                if (!attackWorks)
                    res.state = "cannot be trusted: the attack does not detect the baseline's own training images";
                else if (isSynthetic && !targetLearned)
                    res.state = "cannot be trusted: the models trained on the synthetic set are near chance";
                else if (res.auc.low > 0.5)
                    res.state = "members detected above chance";
                else
                    res.state = "no membership signal detected by this test";
            }
            r.membershipSeconds = since(started);
        }

        // --- summary, worded by docs/privacy.md §6 -------------------------------------------------------------------
        int high = 0, copies = 0;
        for (const auto& p : r.images) {
            high += p.level == "high";
            copies += p.exactCopy;
        }
        std::ostringstream s;
        s << "Of " << n << " synthetic images, " << copies << " are exact copies of training images and " << high
          << " show high similarity to a training image (similarity levels: see the thresholds). ";
        s << "Distance to closest record (pixels, reference sets of " << m << " images, " << options.referenceDraws
          << " draws): " << format(100 * r.dcr.shareCloserToTraining.value, 1) << " % of synthetic images sit closer to "
          << "training than to held-out images (95 % CI " << format(100 * r.dcr.shareCloserToTraining.low, 1) << "–"
          << format(100 * r.dcr.shareCloserToTraining.high, 1) << " %; about 50 % is expected without member-specific "
          << "signal). ";
        if (r.memberImages < r.trainImages)
            s << "Members are the " << r.memberImages << " of " << r.trainImages << " training images that data selection "
              << "kept; the dropped ones count as non-members. ";
        if (r.realImages)
            s << "This set consists of real training images (" << r.method << "): it reveals those images by construction. ";
        for (const auto& diff : r.differences)
            s << "Membership inference (loss threshold, pool '" << diff.pool << "'): AUC(synthetic) − AUC(random real "
              << "subset of the same size) = " << format(diff.aucDifference.value) << " (95 % CI "
              << format(diff.aucDifference.low) << " to " << format(diff.aucDifference.high) << "): " << diff.state
              << ". ";
        if (!options.membershipInference)
            s << "Membership inference was not run. ";
        r.summary = s.str();
        r.findings = plainFindings(r, options);
        r.footer = "These tests can reveal leakage; passing them does not prove privacy. Pixel similarity understates "
                   "re-identification risk for medical images.";
        return r;
    });
}

} // namespace distillery::core
