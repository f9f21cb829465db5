// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include <distillery/augment.h>
#include <distillery/error.h>

#include <QTest>

#include <cmath>

using namespace distillery::core;

namespace {

/// A 1×1×H×W image whose pixel (i, j) holds i·W + j + 1: every pixel is distinct and non-zero.
ImageBatch rampImage(int h, int w, int count = 1)
{
    ImageBatch b{count, 1, h, w, {}};
    for (int n = 0; n < count; ++n)
        for (int i = 0; i < h * w; ++i)
            b.data.push_back(static_cast<float>(i + 1));
    return b;
}

float at(const ImageBatch& b, int n, int i, int j)
{
    return b.data[(static_cast<std::size_t>(n) * b.height + i) * b.width + j];
}

} // namespace

class TestDsa : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cropShiftsAndFillsZero()
    {
        const ImageBatch x = rampImage(6, 6);
        const ImageBatch y = applyDsaOperation(x, DsaOp::Crop, {{2, -1}});
        for (int i = 0; i < 6; ++i)
            for (int j = 0; j < 6; ++j) {
                const int si = i + 2, sj = j - 1; // out(i, j) = x(i + t_h, j + t_w), zero outside
                const float expected = (si < 6 && sj >= 0) ? at(x, 0, si, sj) : 0.0f;
                QCOMPARE(at(y, 0, i, j), expected);
            }
    }

    void flipMirrorsWidthBelowHalf()
    {
        const ImageBatch x = rampImage(4, 5, 2);
        const ImageBatch y = applyDsaOperation(x, DsaOp::Flip, {{0.2}, {0.7}});
        for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 5; ++j) {
                QCOMPARE(at(y, 0, i, j), at(x, 0, i, 4 - j)); // u < 0.5: flipped
                QCOMPARE(at(y, 1, i, j), at(x, 1, i, j)); // u ≥ 0.5: unchanged
            }
    }

    void rotateQuarterTurnOnKnownImage()
    {
        // With align_corners = true a quarter turn maps pixel centres onto pixel centres:
        // θ = [[cos, −sin], [sin, cos]] samples the input at (−y, x), i.e. out[i][j] = in[j][W−1−i].
        const ImageBatch x = rampImage(5, 5);
        const ImageBatch y = applyDsaOperation(x, DsaOp::Rotate, {{90.0}});
        for (int i = 0; i < 5; ++i)
            for (int j = 0; j < 5; ++j)
                QVERIFY2(std::abs(at(y, 0, i, j) - at(x, 0, j, 4 - i)) < 1e-4, qPrintable(QStringLiteral("(%1,%2)").arg(i).arg(j)));
        // No rotation is the identity.
        const ImageBatch same = applyDsaOperation(x, DsaOp::Rotate, {{0.0}});
        for (std::size_t k = 0; k < x.data.size(); ++k)
            QVERIFY(std::abs(same.data[k] - x.data[k]) < 1e-4);
    }

    void cutoutErasesTruncatedSquare()
    {
        // 8×8: side int(0.5·8 + 0.5) = 4; centre (0, 7) erases rows −2…1 → 0…1 and columns 5…8 → 5…7.
        const ImageBatch x = rampImage(8, 8);
        const ImageBatch y = applyDsaOperation(x, DsaOp::Cutout, {{0, 7}});
        int erased = 0;
        for (int i = 0; i < 8; ++i)
            for (int j = 0; j < 8; ++j) {
                const bool inside = i <= 1 && j >= 5;
                QCOMPARE(at(y, 0, i, j), inside ? 0.0f : at(x, 0, i, j));
                erased += inside;
            }
        QCOMPARE(erased, 6);
    }

    void colourOperations()
    {
        const ImageBatch x = rampImage(3, 3);
        const ImageBatch bright = applyDsaOperation(x, DsaOp::Brightness, {{1.0}});
        QCOMPARE(bright.data[4], x.data[4] + 0.5f);
        // Saturation mixes channels: on one channel it changes nothing, whatever the draw.
        const ImageBatch saturated = applyDsaOperation(x, DsaOp::Saturation, {{0.9}});
        QCOMPARE(saturated.data, x.data);
        // Contrast u = 0.5 keeps the image (factor u + 0.5 = 1); u = 0 halves the deviation from the mean (5).
        QCOMPARE(applyDsaOperation(x, DsaOp::Contrast, {{0.5}}).data, x.data);
        const ImageBatch flat = applyDsaOperation(x, DsaOp::Contrast, {{0.0}});
        QCOMPARE(flat.data[0], 5.0f + (1.0f - 5.0f) * 0.5f);
    }

    void scaleOneIsIdentityAndLargerShrinks()
    {
        const ImageBatch x = rampImage(7, 7);
        const ImageBatch same = applyDsaOperation(x, DsaOp::Scale, {{1.0, 1.0}});
        for (std::size_t k = 0; k < x.data.size(); ++k)
            QVERIFY(std::abs(same.data[k] - x.data[k]) < 1e-4);
        // s > 1 samples outside the image near the border, where the fill is zero: the corner darkens.
        const ImageBatch shrunk = applyDsaOperation(x, DsaOp::Scale, {{1.2, 1.2}});
        QVERIFY(at(shrunk, 0, 0, 0) < 0.5f * at(x, 0, 0, 0));
        QVERIFY(std::abs(at(shrunk, 0, 3, 3) - at(x, 0, 3, 3)) < 1e-4); // the centre stays
    }

    void randomAugmentationKeepsShape()
    {
        const ImageBatch x = rampImage(16, 16, 4);
        for (std::uint64_t seed = 0; seed < 12; ++seed) {
            const ImageBatch y = dsaAugment(x, kDsaStrategyDefault, seed, false);
            QCOMPARE(y.count, 4);
            QCOMPARE(y.height, 16);
            QCOMPARE(y.data.size(), x.data.size());
            // The same seed gives the same augmentation.
            QCOMPARE(dsaAugment(x, kDsaStrategyDefault, seed, false).data, y.data);
        }
    }

    void siameseSharesParameters()
    {
        // Four copies of one image: Siamese mode must transform them identically, per-sample mode must not
        // (for some seed whose group draws something visible).
        const ImageBatch x = rampImage(16, 16, 4);
        const std::size_t plane = 16 * 16;
        bool perSampleDiffered = false;
        for (std::uint64_t seed = 0; seed < 12; ++seed) {
            const ImageBatch s = dsaAugment(x, "crop_cutout_flip_scale_rotate", seed, true);
            for (int n = 1; n < 4; ++n)
                QVERIFY(std::equal(s.data.begin(), s.data.begin() + plane, s.data.begin() + n * plane));
            const ImageBatch p = dsaAugment(x, "crop_cutout_scale_rotate", seed, false);
            perSampleDiffered |= !std::equal(p.data.begin(), p.data.begin() + plane, p.data.begin() + plane);
        }
        QVERIFY(perSampleDiffered);
    }

    void strategyNamesAreChecked()
    {
        checkDsaStrategy(kDsaStrategyDefault);
        checkDsaStrategy(kDsaStrategyNoFlip);
        QVERIFY_THROWS_EXCEPTION(Error, checkDsaStrategy("color_blur"));
        QVERIFY_THROWS_EXCEPTION(Error, applyDsaOperation(rampImage(4, 4, 3), DsaOp::Flip, {{0.1}, {0.2}}));
    }
};

QTEST_APPLESS_MAIN(TestDsa)
#include "tst_dsa.moc"
