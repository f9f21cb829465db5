// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The CPU's fused instance norm → ReLU → 2×2 average pool (nn/cpunormrelupool, issue #17) against the stock
// operations: forward with and without autograd, every first-order gradient, a second-order one (DC/DSA and MTT
// differentiate gradients), and a whole ConvNet's embeddings and gradients with the fused passes on and off.
#include <distillery/diagnostics.h>

#include <QTest>

using namespace distillery::core;

class TestCpuFused : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void normReluPoolEqualsStock_data()
    {
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("height");
        QTest::addColumn<int>("width");
        QTest::newRow("32×32, the ConvNet's first block") << 3 << 4 << 32 << 32;
        QTest::newRow("odd 7×7: last row and column dropped by the pool") << 2 << 3 << 7 << 7;
        QTest::newRow("5×6: a plane shorter than the vector lanes' loop") << 2 << 2 << 5 << 6;
        QTest::newRow("2×2, the smallest") << 1 << 2 << 2 << 2;
        QTest::newRow("many planes: split over threads") << 16 << 16 << 16 << 16;
    }

    void normReluPoolEqualsStock()
    {
        QFETCH(int, batch);
        QFETCH(int, channels);
        QFETCH(int, height);
        QFETCH(int, width);
        const CpuNormReluPoolCheck c = checkCpuNormReluPool(batch, channels, height, width, 7);
        QVERIFY2(c.forwardError <= 1e-5, qPrintable(QString::number(c.forwardError)));
        QVERIFY2(c.noGradForwardError <= 1e-5, qPrintable(QString::number(c.noGradForwardError)));
        QVERIFY2(c.inputGradientError <= 1e-4, qPrintable(QString::number(c.inputGradientError)));
        QVERIFY2(c.gammaGradientError <= 1e-4, qPrintable(QString::number(c.gammaGradientError)));
        QVERIFY2(c.betaGradientError <= 1e-4, qPrintable(QString::number(c.betaGradientError)));
        QVERIFY2(c.secondOrderError <= 1e-4, qPrintable(QString::number(c.secondOrderError)));
    }

    void convNetEqualsStock_data()
    {
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("size");
        QTest::newRow("grey 28×28 (padded to 32×32), the DM presets' shape") << 1 << 28;
        QTest::newRow("RGB 32×32") << 3 << 32;
    }

    void convNetEqualsStock()
    {
        QFETCH(int, channels);
        QFETCH(int, size);
        ModelConfig model; // instance norm, ReLU, average pooling: the configuration the fused passes implement
        model.width = 8;
        model.depth = 3;
        const CpuFusedConvNetCheck c = checkCpuFusedConvNet(model, channels, size, 5, 11);
        QVERIFY(c.fusedPathTaken);
        QVERIFY2(c.embeddingError <= 1e-5, qPrintable(QString::number(c.embeddingError)));
        QVERIFY2(c.pixelGradientError <= 1e-4, qPrintable(QString::number(c.pixelGradientError)));
        QVERIFY2(c.parameterGradientError <= 1e-4, qPrintable(QString::number(c.parameterGradientError)));

        ModelConfig maxPool = model; // not what the fused passes implement: the stock layers run
        maxPool.pooling = "max";
        QVERIFY(!checkCpuFusedConvNet(maxPool, channels, size, 5, 11).fusedPathTaken);
    }
};

QTEST_APPLESS_MAIN(TestCpuFused)
#include "tst_cpufused.moc"
