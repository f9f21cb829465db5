// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// checkFusedConvNetForward (diagnostics.h): the parity check behind tst_fused, runnable on any CUDA machine.
#include "comparison.h"
#include "data/dataset.h"
#include "nn/convnet.h"
#include "nn/fusedconvnet.h"
#include "nn/layers.h"
#include "util/torchutil.h"

#include <distillery/device.h>
#include <distillery/diagnostics.h>
#include <distillery/performance.h>

#include <limits>

namespace distillery::core {
namespace {

    long long stillNaN(const torch::Tensor& t)
    {
        return static_cast<long long>(t.isnan().sum().item<std::int64_t>());
    }

    torch::Tensor stockNormReluPool(const torch::Tensor& h, const torch::Tensor& gamma, const torch::Tensor& beta)
    {
        return torch::avg_pool2d(torch::relu(torch::group_norm(h, h.size(1), gamma, beta, kInstanceNormEps)), 2, 2);
    }

    /// Restores the process-wide switches the check changes.
    class SwitchesRestorer
    {
    public:
        SwitchesRestorer()
            : m_tf32(at::globalContext().allowTF32CuDNN())
            , m_fused(fusedKernelsEnabled())
        {
        }
        ~SwitchesRestorer()
        {
            at::globalContext().setAllowTF32CuDNN(m_tf32);
            setFusedKernelsEnabled(m_fused);
        }
        SwitchesRestorer(const SwitchesRestorer&) = delete;
        SwitchesRestorer& operator=(const SwitchesRestorer&) = delete;

    private:
        bool m_tf32;
        bool m_fused;
    };

} // namespace

FusedForwardCheck checkFusedConvNetForward(const FusedForwardCase& c)
{
    FusedForwardCheck r;
    if (!fusedKernelsAvailable(c.device))
        return r;
    return translateErrors("fused kernel check", [&] {
        const torch::Device device = toTorchDevice(resolveDevice(c.device));
        const SwitchesRestorer restore;
        at::globalContext().setAllowTF32CuDNN(false); // fp32 parity needs a full-precision stock convolution
        torch::NoGradGuard noGrad;
        torch::manual_seed(c.seed);

        NetworkShape shape{c.channels, c.height, c.width, 10};
        torch::Tensor x;
        if (!c.source.empty()) {
            DataConfig dataConfig;
            dataConfig.source = c.source;
            const auto data = loadDataset(dataConfig, device);
            x = data->trainImages().slice(0, 0, c.batch).contiguous();
            shape = networkShape(*data);
        } else {
            x = torch::randn({c.batch, c.channels, c.height, c.width}, torch::TensorOptions(device));
        }
        ModelConfig model;
        model.width = c.netWidth;
        model.depth = c.depth;
        const Network net = makeSeededNetwork(model, shape, c.seed, device);
        auto* convnet = dynamic_cast<ConvNetImpl*>(net.get());
        for (const auto& block : convnet->blocks()) { // a non-trivial affine, or a wrong gamma/beta would hide
            block.normWeight.uniform_(0.5, 1.5);
            block.normBias.uniform_(-0.5, 0.5);
        }
        if (c.bfloat16) {
            net->to(torch::kBFloat16);
            x = x.to(torch::kBFloat16);
        }
        const auto nan = std::numeric_limits<double>::quiet_NaN();
        const auto& b0 = convnet->blocks()[0];

        const torch::Tensor stock1
            = stockNormReluPool(torch::conv2d(x, b0.convWeight, b0.convBias, 1, b0.padding), b0.normWeight, b0.normBias);
        const torch::Tensor fused1 = fusedConvBlock(x, b0.convWeight, b0.convBias, b0.padding, b0.normWeight,
            b0.normBias, kInstanceNormEps, torch::full(stock1.sizes(), nan, stock1.options()));
        r.block1Elements = stock1.numel();
        r.block1Unwritten = stillNaN(fused1);
        r.block1Error = relativeError(fused1, stock1);

        if (convnet->blocks().size() > 1) {
            const auto& b1 = convnet->blocks()[1];
            const torch::Tensor h = torch::conv2d(stock1, b1.convWeight, b1.convBias, 1, b1.padding);
            const torch::Tensor stock2 = stockNormReluPool(h, b1.normWeight, b1.normBias);
            const torch::Tensor fused2 = fusedNormReluPool(
                h, b1.normWeight, b1.normBias, kInstanceNormEps, torch::full(stock2.sizes(), nan, stock2.options()));
            r.normPoolElements = stock2.numel();
            r.normPoolUnwritten = stillNaN(fused2);
            r.normPoolError = relativeError(fused2, stock2);
        }

        setFusedKernelsEnabled(false);
        const torch::Tensor stockFeatures = net->embed(x);
        setFusedKernelsEnabled(true);
        r.forwardUsedFusedPath = convnet->usesFusedPath(x);
        const torch::Tensor fusedFeatures = net->embed(x);
        r.featureError = relativeError(fusedFeatures, stockFeatures);
        r.ran = true;
        return r;
    });
}

} // namespace distillery::core
