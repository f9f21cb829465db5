// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/config.h>
#include <distillery/imagebatch.h>
#include <distillery/syntheticset.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace distillery::core {

class RunControl;

/// What the privacy inspector compares and how hard it tries (docs/privacy.md).
struct PrivacyOptions
{
    DataConfig data; ///< the real data the set was made from: its training split = members, test split = non-members
    ModelConfig model; ///< network of the membership-inference target models
    EvalConfig eval; ///< their training protocol (docs/methods.md §1.4)
    std::string device = "auto";
    std::uint64_t seed = 0;
    int threads = 0;
    int k = 5; ///< nearest training images per synthetic image
    int referenceSize = 10000; ///< size of the equal-size reference sets P′ and H′ for distances to closest record
    int referenceDraws = 5; ///< draws of P′
    bool membershipInference = true;
    int membershipSeeds = 5; ///< target models per training set (r)
    int membershipPool = 10000; ///< members and non-members in the "all members" pool, each
    int bootstrap = 1000; ///< resamples for the intervals
    /// The training images the set's method could draw from (data selection: the run folder's kept indices,
    /// selection.h); empty = the whole training split. Only these count as members: the nearest-image search, the
    /// distances to closest record and the membership attack's member pool use them; dropped images are non-members
    /// and take part in neither side (they are not a random sample of the data, so no held-out yardstick).
    std::vector<std::int64_t> members;
};

struct PrivacyProgress
{
    std::string stage; ///< "nearest neighbours", "membership inference: training on the synthetic set", …
    int done = 0;
    int total = 0;
};

/// A value with its 95 % interval.
struct Interval
{
    double value = 0;
    double low = 0;
    double high = 0;
};

/// One real image close to a synthetic one. Distances are in de-normalised pixel space (not clamped); SSIM and
/// PSNR on the 8-bit scale (docs/privacy.md §2–3).
struct NeighbourMatch
{
    std::int64_t index = -1; ///< in the training (or test) split
    std::int64_t label = -1;
    double l2 = 0;
    double ssim = 0;
    double psnr = 0; ///< dB; shown as "identical" when `identical`
    bool identical = false; ///< every pixel within half a grey level on the 8-bit scale (a copy up to rounding)
};

/// Everything the inspector found about one synthetic image.
struct ImagePrivacy
{
    int index = 0;
    std::int64_t label = 0;
    std::int64_t initIndex = -1; ///< the real image it started from, -1 = noise
    std::vector<NeighbourMatch> nearestTraining; ///< k, closest first
    NeighbourMatch nearestHeldOut;
    NeighbourMatch initImage; ///< the start image compared with the final one (index -1 without one)
    int initRank = -1; ///< rank of the start image among all training images by distance (1 = still the closest)
    double dcrTraining = 0; ///< distance to the closest record of P′ (mean over draws)
    double dcrHeldOut = 0; ///< … of H′
    double nndr = 0; ///< nearest / second-nearest training distance
    bool exactCopy = false;
    bool ownInit = false; ///< the nearest training image is the image it started from
    bool closerToTraining = false; ///< DCR to P′ below DCR to H′
    bool otherClass = false; ///< the nearest training image has another label
    std::string level; ///< "high", "elevated" or "low" similarity, from the thresholds in similarityThresholds()
};

struct DcrSummary
{
    int referenceSize = 0;
    int draws = 0;
    std::vector<double> syntheticToTraining; ///< DCR(S; P′), first draw
    std::vector<double> syntheticToHeldOut; ///< DCR(S; H′)
    std::vector<double> heldOutToTraining; ///< DCR(H_b; P′): what unseen real images show
    Interval shareCloserToTraining; ///< p, Wilson interval
    double overfittingProtection = 0; ///< min(2(1 − p), 1)
    double baselineProtection = 0; ///< min(median DCR(S; P′) / median DCR(S; H′), 1)
    double realToRealMedianRatio = 0; ///< median DCR(S; P′) / median DCR(H_b; P′)
    double realToRealP5Ratio = 0;
};

struct NndrSummary
{
    std::vector<double> synthetic;
    std::vector<double> baseline; ///< NNDR(h; P) for held-out images
    double baselineP1 = 0; ///< 1st percentile of the baseline
    int flagged = 0; ///< synthetic images below it
};

struct RocPoint
{
    double fpr = 0;
    double tpr = 0;
};

/// The loss-threshold membership-inference attack on one pool and one target (docs/privacy.md §4.4).
struct MembershipResult
{
    std::string pool; ///< "all members", "initial images", "random real subset"
    std::string target; ///< "synthetic set" or "random real subset (baseline)"
    int members = 0;
    int nonMembers = 0;
    Interval auc;
    Interval tprAt1; ///< TPR at 1 % FPR
    Interval tprAt01; ///< TPR at 0.1 % FPR
    bool tprAt1Valid = false; ///< needs ≥ 100 non-members
    bool tprAt01Valid = false; ///< needs ≥ 1000 non-members
    double advantage = 0; ///< max (TPR − FPR)
    std::vector<RocPoint> roc;
    double targetAccuracy = 0; ///< test accuracy of the attacked models (mean over seeds)
    std::string state; ///< docs/privacy.md §5
};

/// AUC(synthetic-set models) − AUC(random-real-subset models) on one pool, with its bootstrap interval.
struct MembershipDifference
{
    std::string pool;
    Interval aucDifference;
    std::string state;
};

/// One result of the report in plain words (docs/privacy.md, "Wording"): a headline anyone can read, and the
/// technical detail under it (test, space, n, interval, baseline).
struct PrivacyFinding
{
    std::string headline;
    std::string detail;
};

struct PrivacyReport
{
    std::string datasetName;
    std::string datasetSource;
    std::string method;
    int ipc = 0;
    bool realImages = false; ///< the set is made of real training images (a coreset)
    std::int64_t memberImages = 0; ///< training images counted as members (all, or those data selection kept)
    std::int64_t trainImages = 0; ///< the training split's size
    std::string space; ///< where distances are measured
    std::vector<ImagePrivacy> images; ///< sorted by distance to the nearest training image, closest first
    double shareInitRankOne = 0; ///< share of images whose start image is still their nearest training image
    DcrSummary dcr;
    NndrSummary nndr;
    std::vector<MembershipResult> membership;
    std::vector<MembershipDifference> differences;
    int membershipSeeds = 0;
    double neighbourSeconds = 0;
    double dcrSeconds = 0;
    double membershipSeconds = 0;
    std::string summary; ///< one paragraph, worded by docs/privacy.md §6
    std::vector<PrivacyFinding> findings; ///< the same results, one plain headline each
    std::string footer;

    /// 8-bit pictures for galleries, in the order of `images`: the synthetic image, its nearest training image,
    /// its nearest held-out image, and its start image (black for noise).
    ImageBatch8 syntheticPixels;
    ImageBatch8 nearestTrainingPixels;
    ImageBatch8 nearestHeldOutPixels;
    ImageBatch8 initPixels;
};

/// Runs the inspector on a synthetic set against its data set. Throws Error for a set that does not fit the
/// data, Cancelled when `control` stops it.
PrivacyReport inspectPrivacy(const SyntheticSet& set, const PrivacyOptions& options,
    const std::function<void(const PrivacyProgress&)>& progress = {}, const RunControl* control = nullptr);

/// The report as JSON (privacy.json) and as a self-contained HTML page with embedded PNGs and an SVG ROC plot.
std::string privacyJson(const PrivacyReport& report);
std::string privacyHtml(const PrivacyReport& report);

/// The thresholds behind ImagePrivacy::level, in words, for every place that shows a colour.
std::string similarityThresholds();

/// Why the inspector cannot run on a set of `syntheticImages` images when `source` holds `testImages` held-out
/// images (it needs two held-out references per synthetic image and two more), or "" when it can. Checked before an
/// inspection is queued, so it is refused at once with the reason.
std::string privacyCannotRun(std::int64_t syntheticImages, std::int64_t testImages, const std::string& source);

/// SSIM of image pairs as OpenCV's QualitySSIM computes it: 11×11 Gaussian window (σ = 1.5), reflect-101 borders,
/// C1 = (0.01·255)², C2 = (0.03·255)², mean of the full map, per channel then averaged. Inputs are pixels in
/// [0, 1] (clamped, scaled to 0–255); one value per image pair.
std::vector<double> structuralSimilarity(const ImageBatch& a, const ImageBatch& b);

/// PSNR on the 8-bit scale (MAX 255), per channel then averaged; +infinity for identical images.
std::vector<double> peakSignalToNoise(const ImageBatch& a, const ImageBatch& b);

/// Membership-inference statistics from attack scores (higher = "member"), for tests and tools.
struct AttackStatistics
{
    double auc = 0;
    double tprAt1 = 0;
    double tprAt01 = 0;
    double advantage = 0;
};
AttackStatistics attackStatistics(const std::vector<double>& memberScores, const std::vector<double>& nonMemberScores);

/// Wilson 95 % interval of k successes in n trials.
Interval wilsonInterval(int successes, int trials);

/// A PNG file's bytes for image `index` of a batch (zlib only, no OpenCV needed).
std::vector<std::uint8_t> encodePng(const ImageBatch8& batch, int index);

} // namespace distillery::core
