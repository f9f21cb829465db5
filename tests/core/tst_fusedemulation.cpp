// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The fused CUDA ConvNet kernels' own source (core/src/cuda/fusedkernels.cuh) run on the CPU by a small CUDA
// emulation, against a plain double-precision reference of conv 3×3 → instance norm → ReLU → 2×2 average pool.
// Catches indexing, padding, partial channel groups and reduction mistakes where no GPU is present; the GPU
// parity test (tests/gpu/tst_fused) checks the real thing against cuDNN.
#include "cudaemulation.h"

#include <QTest>

#include <limits>
#include <random>
#include <vector>

#define DISTILLERY_KERNEL_NAMESPACE emulated
namespace distillery::cuda::emulated {
float shared[16384]; // every block's dynamic shared memory (blocks run one after another)
}
#include "cuda/fusedkernels.cuh"

namespace kernels = distillery::cuda::emulated;

namespace {

std::vector<float> randomValues(std::size_t n, std::mt19937& rng, float lo = -1.0F, float hi = 1.0F)
{
    std::uniform_real_distribution<float> u(lo, hi);
    std::vector<float> v(n);
    for (float& x : v)
        x = u(rng);
    return v;
}

/// Instance norm (biased variance) → affine → ReLU → 2×2 average pool (floor) of one plane, in double.
std::vector<double> normReluPool(const std::vector<double>& plane, int h, int w, double gamma, double beta)
{
    double mean = 0;
    for (double v : plane)
        mean += v;
    mean /= static_cast<double>(plane.size());
    double variance = 0;
    for (double v : plane)
        variance += (v - mean) * (v - mean);
    variance /= static_cast<double>(plane.size());
    const double inv = 1.0 / std::sqrt(variance + 1e-5);
    std::vector<double> out;
    for (int py = 0; py < h / 2; ++py)
        for (int px = 0; px < w / 2; ++px) {
            double sum = 0;
            for (int dy = 0; dy < 2; ++dy)
                for (int dx = 0; dx < 2; ++dx) {
                    const double v = (plane[static_cast<std::size_t>((2 * py + dy) * w + 2 * px + dx)] - mean) * inv * gamma + beta;
                    sum += std::max(v, 0.0);
                }
            out.push_back(sum / 4);
        }
    return out;
}

double maxRelativeError(const std::vector<float>& got, const std::vector<double>& want)
{
    double scale = 0, diff = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        scale = std::max(scale, std::abs(want[i]));
        diff = std::max(diff, std::isnan(got[i]) ? std::numeric_limits<double>::infinity() : std::abs(got[i] - want[i]));
    }
    return diff / (scale > 0 ? scale : 1.0);
}

} // namespace

class TestFusedEmulation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void convBlock_data()
    {
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("inChannels");
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("padding");
        QTest::addColumn<int>("outChannels");
        QTest::newRow("28x28 grey, padding 3, 20 channels (a partial group of 4)") << 2 << 1 << 28 << 3 << 20;
        QTest::newRow("32x32 colour, padding 1, 3 channels") << 1 << 3 << 32 << 1 << 3;
        QTest::newRow("odd 9x9, padding 1 (pool floors)") << 3 << 2 << 9 << 1 << 17;
    }

    void convBlock()
    {
        QFETCH(int, batch);
        QFETCH(int, inChannels);
        QFETCH(int, size);
        QFETCH(int, padding);
        QFETCH(int, outChannels);
        std::mt19937 rng(7);
        const auto input = randomValues(static_cast<std::size_t>(batch * inChannels * size * size), rng);
        const auto weight = randomValues(static_cast<std::size_t>(outChannels * inChannels * 9), rng);
        const auto bias = randomValues(static_cast<std::size_t>(outChannels), rng);
        const auto gamma = randomValues(static_cast<std::size_t>(outChannels), rng, 0.5F, 1.5F);
        const auto beta = randomValues(static_cast<std::size_t>(outChannels), rng, -0.5F, 0.5F);
        const int conv = size + 2 * padding - 2;
        const std::size_t pooledPlane = static_cast<std::size_t>((conv / 2) * (conv / 2));
        std::vector<float> output(static_cast<std::size_t>(batch * outChannels) * pooledPlane,
            std::numeric_limits<float>::quiet_NaN()); // poisoned: every element must be written

        const kernels::ConvGeometry g = kernels::convGeometry(size, size, padding);
        QVERIFY(kernels::convSharedFloats(inChannels, g) <= sizeof(distillery::cuda::emulated::shared) / sizeof(float));
        const unsigned channelBlocks = static_cast<unsigned>((outChannels + kernels::kChannelsPerBlock - 1) / kernels::kChannelsPerBlock);
        cudaemulation::launch(static_cast<unsigned>(batch) * channelBlocks, kernels::kThreads, [&] {
            kernels::fusedConvBlockKernel<float>(input.data(), output.data(), weight.data(), bias.data(), gamma.data(),
                beta.data(), inChannels, size, size, outChannels, padding, 1e-5F);
        });

        std::vector<double> want;
        for (int n = 0; n < batch; ++n)
            for (int c = 0; c < outChannels; ++c) {
                std::vector<double> plane(static_cast<std::size_t>(conv * conv));
                for (int y = 0; y < conv; ++y)
                    for (int x = 0; x < conv; ++x) {
                        double acc = bias[static_cast<std::size_t>(c)];
                        for (int ci = 0; ci < inChannels; ++ci)
                            for (int ky = 0; ky < 3; ++ky)
                                for (int kx = 0; kx < 3; ++kx) {
                                    const int iy = y + ky - padding, ix = x + kx - padding;
                                    if (iy < 0 || iy >= size || ix < 0 || ix >= size)
                                        continue;
                                    acc += static_cast<double>(weight[static_cast<std::size_t>(((c * inChannels + ci) * 3 + ky) * 3 + kx)])
                                        * input[static_cast<std::size_t>(((n * inChannels + ci) * size + iy) * size + ix)];
                                }
                        plane[static_cast<std::size_t>(y * conv + x)] = acc;
                    }
                const auto pooled = normReluPool(plane, conv, conv, gamma[static_cast<std::size_t>(c)], beta[static_cast<std::size_t>(c)]);
                want.insert(want.end(), pooled.begin(), pooled.end());
            }
        QCOMPARE(output.size(), want.size());
        const double error = maxRelativeError(output, want);
        QVERIFY2(error <= 1e-5, QByteArray::number(error).constData());
    }

    void normReluPoolPlanes_data()
    {
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("size");
        QTest::newRow("16x16, 5 planes (a partial block of warps)") << 1 << 5 << 16;
        QTest::newRow("8x8, 2 x 9 planes") << 2 << 9 << 8;
        QTest::newRow("odd 7x7") << 3 << 3 << 7;
    }

    void normReluPoolPlanes()
    {
        QFETCH(int, batch);
        QFETCH(int, channels);
        QFETCH(int, size);
        std::mt19937 rng(11);
        const std::size_t plane = static_cast<std::size_t>(size * size);
        // An offset mean, so a one-pass variance would lose digits and the two-pass one is exercised.
        const auto input = randomValues(static_cast<std::size_t>(batch * channels) * plane, rng, 3.0F, 5.0F);
        const auto gamma = randomValues(static_cast<std::size_t>(channels), rng, 0.5F, 1.5F);
        const auto beta = randomValues(static_cast<std::size_t>(channels), rng, -0.5F, 0.5F);
        const std::size_t pooledPlane = static_cast<std::size_t>((size / 2) * (size / 2));
        std::vector<float> output(static_cast<std::size_t>(batch * channels) * pooledPlane, std::numeric_limits<float>::quiet_NaN());

        const std::int64_t planes = static_cast<std::int64_t>(batch) * channels;
        const int planesPerBlock = kernels::kThreads / kernels::kWarpSize;
        cudaemulation::launch(static_cast<unsigned>((planes + planesPerBlock - 1) / planesPerBlock), kernels::kThreads, [&] {
            kernels::fusedNormReluPoolKernel<float>(input.data(), output.data(), gamma.data(), beta.data(), planes, channels,
                size, size, 1e-5F);
        });

        std::vector<double> want;
        for (std::int64_t p = 0; p < planes; ++p) {
            const std::vector<double> values(input.begin() + static_cast<std::ptrdiff_t>(p * static_cast<std::int64_t>(plane)),
                input.begin() + static_cast<std::ptrdiff_t>((p + 1) * static_cast<std::int64_t>(plane)));
            const auto c = static_cast<std::size_t>(p % channels);
            const auto pooled = normReluPool(values, size, size, gamma[c], beta[c]);
            want.insert(want.end(), pooled.begin(), pooled.end());
        }
        const double error = maxRelativeError(output, want);
        QVERIFY2(error <= 1e-5, QByteArray::number(error).constData());
    }
};

QTEST_APPLESS_MAIN(TestFusedEmulation)
#include "tst_fusedemulation.moc"
