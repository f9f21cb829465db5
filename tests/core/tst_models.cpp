// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include <distillery/error.h>
#include <distillery/models.h>

#include <QTest>

using namespace distillery::core;

class TestModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void referenceConvNet_data()
    {
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("size");
        QTest::addColumn<qint64>("parameters");
        QTest::addColumn<qint64>("features");
        // docs/methods.md §1.1: conv1 1,280 + 3 × GN 256 + conv2/conv3 147,584 each + fc 20,490.
        QTest::newRow("1x28x28 (padded to 32)") << 1 << 28 << qint64(317706) << qint64(2048);
        QTest::newRow("3x28x28 (MedMNIST RGB)") << 3 << 28 << qint64(320010) << qint64(2048);
        QTest::newRow("3x32x32 (CIFAR)") << 3 << 32 << qint64(320010) << qint64(2048);
        QTest::newRow("1x64x64") << 1 << 64 << qint64(317706 - 20490 + 8192 * 10 + 10) << qint64(8192);
    }

    void referenceConvNet()
    {
        QFETCH(int, channels);
        QFETCH(int, size);
        QFETCH(qint64, parameters);
        QFETCH(qint64, features);
        const ModelSummary s = describeModel({}, channels, size, size, 10);
        QCOMPARE(s.parameters, parameters);
        QCOMPARE(s.featureDim, features);
        QCOMPARE(s.logitsShape, std::vector<std::int64_t>({1, 10}));
        QCOMPARE(s.description, std::string("ConvNet-128x3 instance/relu/avg"));
    }

    void convNetVariants()
    {
        ModelConfig narrow;
        narrow.width = 32;
        narrow.depth = 4;
        QCOMPARE(describeModel(narrow, 1, 32, 32, 10).featureDim, std::int64_t(32 * 2 * 2));
        ModelConfig batch;
        batch.norm = "batch";
        QCOMPARE(describeModel(batch, 1, 28, 28, 10).parameters, std::int64_t(317706)); // BN has the same affine count
        ModelConfig none;
        none.norm = "none";
        QCOMPARE(describeModel(none, 1, 28, 28, 10).parameters, std::int64_t(317706 - 3 * 256));
        ModelConfig noPool;
        noPool.pooling = "none";
        noPool.depth = 1;
        QCOMPARE(describeModel(noPool, 1, 16, 16, 10).featureDim, std::int64_t(128 * 16 * 16));
    }

    void otherArchitectures()
    {
        ModelConfig mlp;
        mlp.arch = "mlp";
        QCOMPARE(describeModel(mlp, 1, 28, 28, 10).parameters, std::int64_t(784 * 128 + 128 + 128 * 128 + 128 + 1290));
        ModelConfig lenet;
        lenet.arch = "lenet";
        const auto l = describeModel(lenet, 1, 28, 28, 10);
        QCOMPARE(l.featureDim, std::int64_t(84));
        QCOMPARE(l.parameters, std::int64_t(156 + 2416 + 48120 + 10164 + 850)); // the classic LeNet-5 count
        ModelConfig resnet;
        resnet.arch = "resnet18";
        resnet.norm = "batch";
        const auto r = describeModel(resnet, 3, 32, 32, 10);
        QCOMPARE(r.featureDim, std::int64_t(512));
        QCOMPARE(r.parameters, std::int64_t(11173962)); // ResNet-18 for CIFAR-10
    }

    void badSettings()
    {
        ModelConfig unknown;
        unknown.arch = "transformer";
        QVERIFY_THROWS_EXCEPTION(Error, describeModel(unknown, 1, 28, 28, 10));
        ModelConfig deep;
        deep.depth = 6;
        QVERIFY_THROWS_EXCEPTION(Error, describeModel(deep, 1, 16, 16, 10)); // 16 → 0 after five poolings
        QVERIFY_THROWS_EXCEPTION(Error, describeModel({}, 1, 28, 28, 1));
    }
};

QTEST_APPLESS_MAIN(TestModels)
#include "tst_models.moc"
