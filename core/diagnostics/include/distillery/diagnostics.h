// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/config.h>

#include <cstdint>
#include <string>
#include <vector>

namespace distillery::core {

/// A float tensor as plain values (C order).
struct PlainTensor
{
    std::vector<std::int64_t> shape;
    std::vector<float> values;
};

/// DC's matching distance between two lists of gradient tensors (docs/methods.md §4): "ours" (layer-wise, rows =
/// output units, 1 − cosine summed over rows, 1-D tensors ignored), "mse" or "cos" over the concatenation.
double gradientMatchingDistance(const std::vector<PlainTensor>& synthetic, const std::vector<PlainTensor>& real,
    const std::string& metric = "ours");

/// One DM loss computed twice on the same network, real batch and augmentation draw: batched over all classes
/// (what DM runs) and class by class (the reference's loop). Nothing is updated.
struct DmLossCheck
{
    double batched = 0;
    double perClass = 0;
    std::vector<double> batchedTerms;
    std::vector<double> perClassTerms;
};
DmLossCheck checkDmBatchedLoss(const RunConfig& config);

/// DC/DSA's per-class matching distances of one step computed class-parallel (what runs) and class by class (the
/// reference's loop), from the same network, real batch and augmentation draw. Needs a ConvNet without batch norm.
struct GradientMatchCheck
{
    std::vector<double> classParallel;
    std::vector<double> perClass;
};
GradientMatchCheck checkGradientMatchingBatched(const RunConfig& config);

/// The fused CUDA ConvNet kernels (issue #6) against the stock ops on one input: block 1 alone, norm-ReLU-pool
/// alone (on block 2's convolution) and the whole no-grad feature forward. Random input, or the first `batch`
/// training images of `source`. Norm affines are randomised so they are exercised; TF32 is off for the stock side.
struct FusedForwardCase
{
    std::string device = "cuda:0";
    int batch = 7;
    int channels = 1;
    int height = 28;
    int width = 28;
    int netWidth = 128;
    int depth = 3;
    bool bfloat16 = false;
    std::string source; ///< a data source (e.g. "fashion-mnist"); empty = random normal input
    std::uint64_t seed = 0;
};
struct FusedForwardCheck
{
    bool ran = false; ///< false: no CUDA device, or a build without the kernels
    bool forwardUsedFusedPath = false; ///< the ConvNet's own no-grad forward chose the kernels
    /// max |fused − stock| / max |stock|
    double block1Error = 0;
    double normPoolError = 0;
    double featureError = 0;
    /// Elements of a NaN-poisoned output still NaN after the kernel (never written, or written as NaN).
    long long block1Unwritten = 0;
    long long normPoolUnwritten = 0;
    long long block1Elements = 0;
    long long normPoolElements = 0;
};
FusedForwardCheck checkFusedConvNetForward(const FusedForwardCase& check);

/// DC/DSA's inner loop (InnerLoop, issue #3) run two ways from the same network, synthetic set and seed:
/// "reference" (the reference's loop), "fixed-shape" (the body a CUDA graph captures, run eagerly) or "graphed"
/// (captured and replayed; CUDA only — elsewhere it falls back to "reference", which `secondMode` then names).
/// Random synthetic images; a ConvNet of `netWidth` × `depth`. On CUDA, TF32 and cuDNN autotuning are off and
/// cuDNN is deterministic during the check.
struct InnerLoopCase
{
    std::string device = "cpu";
    std::string first = "reference";
    std::string second = "fixed-shape";
    std::string augment = "none"; ///< a DSA strategy, or none (DC)
    int images = 20;
    int classes = 4;
    int channels = 1;
    int size = 12;
    int batch = 8; ///< minibatch (256 in a run): `images` not a multiple of it exercises the remainder batch
    int epochs = 2;
    int netWidth = 8;
    int depth = 2;
    std::string norm = "instance"; ///< "batch" exercises the running statistics the warm-ups must leave alone
    std::uint64_t seed = 0;
    /// Capture (graphed) before the seed is set, as a test harness would; false leaves it to train(), as a run does,
    /// so the warm-ups' random draws must be undone for the modes to agree.
    bool prepareFirst = true;
    /// "graphed" on the CPU through CudaGraph's emulation (capture = warm-ups + keep the body, replay = call it):
    /// checks the bookkeeping around the graphs without a GPU.
    bool emulateGraphs = false;
    /// Keep an autograd graph over the network's parameters alive, built on the caller's stream, while the loop
    /// captures and trains — what gradient matching's outer loop must not do (it breaks a CUDA capture).
    bool liveParameterGraph = false;
};
struct InnerLoopCheck
{
    std::string firstMode; ///< the modes that ran, after any fallback
    std::string secondMode;
    std::string fallbackReason;
    /// max |first − second| / max |first| over every parameter after training
    double parameterDifference = 0;
    /// max |after − before| / max |before| for the first mode: proof that it trained at all
    double parameterChange = 0;
    /// Cross-entropy of the network on the (unaugmented) synthetic set before and after the first mode's training.
    double lossBefore = 0;
    double lossAfter = 0;
};
InnerLoopCheck checkInnerLoop(const InnerLoopCase& check);

/// Dsa::applyChosen (the fixed-shape augmentation) against Dsa::apply: for every group position k of `strategy`,
/// max |applyChosen(x, draws, k) − apply(x, draws[k])| on a random batch, and max |output(k) − output(0)| (that the
/// positions really give different images).
struct DsaChosenCheck
{
    std::vector<double> differenceFromApply;
    std::vector<double> differenceFromFirst;
};
DsaChosenCheck checkDsaApplyChosen(const std::string& strategy, std::uint64_t seed);

/// The functional forward (nn/functionalnet.h) against the module's own forward in train mode, on a random batch of
/// `batch` images: max |functional − module| / max |module| over the logits.
double functionalForwardError(const ModelConfig& model, int channels, int size, int classes, int batch, std::uint64_t seed);

/// One unrolled student step θ₁ = θ₀ − α ∇_θ ℓ(f(X; θ₀), y), differentiated through (create_graph) with respect to X
/// and α, against central finite differences of f(X, α) = ‖θ₁‖² in float64 on `probes` random coordinates of X
/// (and α). Returns the largest relative error over the probes.
double unrolledStepGradientError(const ModelConfig& model, int channels, int size, int classes, int probes, std::uint64_t seed);

/// MTT's two gradients of one iteration (the full unroll and TESLA's constant-memory form) from the same expert,
/// start epoch, batches and augmentation. Trains the experts into config.expertsDir when missing.
struct MttGradientCheck
{
    double loss = 0;
    double imageCosine = 0; ///< cosine similarity of the two image gradients
    double imageRelativeError = 0; ///< ‖constant − full‖ / ‖full‖
    double alphaFull = 0;
    double alphaConstant = 0;
    double labelCosine = 0; ///< with learned labels; 0 otherwise
};
MttGradientCheck checkMttGradients(const RunConfig& config);

/// The CPU's passes in pieces (nn/pieces.h) on a seeded network of `model` and `images` random images: the
/// embedding and the gradient of the mean cross-entropy with respect to the parameters, in one batch and in the
/// pieces a budget of `budgetBytes` allows.
struct PiecesCheck
{
    std::int64_t rowsPerPiece = 0; ///< what the budget allows
    std::int64_t largestActivationBytes = 0; ///< per image, what the budget is divided by
    int embeddingPieces = 0; ///< calls the embedding took
    int gradientPieces = 0; ///< calls the gradient took
    double embeddingError = 0; ///< max |pieces − one batch| / max |one batch|
    double gradientError = 0; ///< max |pieces − one batch| over every parameter's gradient / the largest gradient
};
PiecesCheck checkPieces(const ModelConfig& model, int channels, int size, int classes, int images, std::int64_t budgetBytes,
    std::uint64_t seed);

/// The CPU's fused instance norm → ReLU → 2×2 average pool (nn/cpunormrelupool.h) against the stock operations on
/// the same random input: the forward, the gradients of a weighted sum of the output with respect to the input, γ
/// and β, and a gradient of a gradient (create_graph, as DC/DSA and MTT take). Errors are max |fused − stock| /
/// max |stock|.
struct CpuNormReluPoolCheck
{
    double forwardError = 0;
    double noGradForwardError = 0; ///< the forward without autograd (DM's real embeddings, testing)
    double inputGradientError = 0;
    double gammaGradientError = 0;
    double betaGradientError = 0;
    double secondOrderError = 0; ///< ∂‖∂L/∂x‖²/∂γ
};
CpuNormReluPoolCheck checkCpuNormReluPool(int batch, int channels, int height, int width, std::uint64_t seed);

/// A ConvNet (instance norm, ReLU, average pooling) on the CPU with its fused passes and with the stock layers: the
/// embeddings, and the gradients of a loss on the embeddings and logits with respect to the pixels and every parameter.
struct CpuFusedConvNetCheck
{
    bool fusedPathTaken = false; ///< the fused passes were used (else the comparison would be stock against stock)
    double embeddingError = 0;
    double pixelGradientError = 0;
    double parameterGradientError = 0; ///< over every parameter, relative to the largest gradient
};
CpuFusedConvNetCheck checkCpuFusedConvNet(const ModelConfig& model, int channels, int size, int images, std::uint64_t seed);

/// Kernel ridge regression (methods/kernelridge.h) on random features against the textbook formula with an explicit
/// inverse, its interpolation with a tiny ridge, and whether gradients reach the supports.
struct KernelRidgeCheck
{
    double inverseError = 0; ///< max |Cholesky solve − explicit inverse| / max |explicit inverse's predictions|
    double interpolationError = 0; ///< ridge 1e-9: max |prediction at each support − its own target|
    double supportGradient = 0; ///< ‖∂L/∂support features‖ for a squared error on the targets' predictions
    double targetGradient = 0; ///< ‖∂L/∂Y_s‖
    // A singular kernel: every support twice (the linear kernel of duplicate rows) at ridge 0.
    double singularUsedRidge = 0; ///< the ridge the solve raised itself to
    bool singularFinite = false; ///< whether its predictions are all finite
    std::string singularMessage; ///< what reportRaisedRidge said about it
};
KernelRidgeCheck checkKernelRidge(int supports, int targets, int features, int classes, double ridge, std::uint64_t seed);

/// Data selection's rule (selection/dataselection.h) on plain vectors: the kept indices, ascending.
std::vector<std::int64_t> selectKeptIndices(const std::vector<std::int64_t>& labels, int classes, const std::string& rule,
    double fraction, const std::vector<float>& scores, std::uint64_t seed);

/// What a method drew under data selection: `config`'s data with its selection applied (scores computed into, or read
/// from, config.scoresDir), the method's init() and `steps` steps, every draw of real indices recorded.
struct SelectionSamplingCheck
{
    std::vector<std::int64_t> labels; ///< every training image's label
    std::vector<std::int64_t> kept; ///< what the selection kept (empty: nothing selected)
    std::vector<std::int64_t> drawn; ///< every index any draw returned, in order
    std::vector<std::int64_t> initIndices; ///< the set's starting images (−1: noise)
};
SelectionSamplingCheck checkSelectionSampling(const RunConfig& config, int steps);

} // namespace distillery::core
