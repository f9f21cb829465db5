// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// DC/DSA's inner loop: the fixed-shape body (what a CUDA graph captures) trains exactly like the reference's loop
// on the CPU, its branch-free augmentation keeps the drawn group, and asking for CUDA graphs on the CPU falls back
// to the reference with a reason. The graphed loop itself is compared on a GPU by tests/gpu/tst_innerloop.
#include <distillery/diagnostics.h>
#include <distillery/error.h>

#include <QTest>

using namespace distillery::core;

class TestInnerLoop : public QObject
{
    Q_OBJECT

private:
    static InnerLoopCase smallCase(const std::string& augment)
    {
        InnerLoopCase c;
        c.augment = augment;
        c.images = 20; // batch 8: two full batches and a remainder of 4
        c.batch = 8;
        c.epochs = 3;
        return c;
    }

private Q_SLOTS:
    void fixedShapeEqualsReferenceWithoutAugmentation()
    {
        const InnerLoopCheck r = checkInnerLoop(smallCase("none"));
        QCOMPARE(QString::fromStdString(r.firstMode), QStringLiteral("reference"));
        QCOMPARE(QString::fromStdString(r.secondMode), QStringLiteral("fixed-shape"));
        QVERIFY2(r.parameterChange > 1e-3, "the reference loop did not train the network");
        QVERIFY2(r.lossAfter < r.lossBefore, "training did not lower the loss on the synthetic set");
        QVERIFY2(r.parameterDifference <= 1e-6, qPrintable(QString::number(r.parameterDifference)));
    }

    void fixedShapeEqualsReferenceForEachDsaGroup_data()
    {
        QTest::addColumn<QString>("group");
        for (const char* g : {"color", "crop", "cutout", "flip", "scale", "rotate"})
            QTest::newRow(g) << QString::fromLatin1(g);
    }

    void fixedShapeEqualsReferenceForEachDsaGroup()
    {
        // With one group the two loops draw the same random numbers in the same order, so they must agree exactly.
        QFETCH(QString, group);
        InnerLoopCase c = smallCase(group.toStdString());
        c.channels = 3; // colour: saturation is a no-op on grey images
        const InnerLoopCheck r = checkInnerLoop(c);
        QVERIFY2(r.parameterChange > 1e-3, "the reference loop did not train the network");
        QVERIFY2(r.parameterDifference <= 1e-6, qPrintable(QString::number(r.parameterDifference)));
    }

    void fixedShapeTrainsWithTheWholeStrategy()
    {
        // Several groups: the fixed-shape body draws every group's parameters, so the random streams differ from the
        // reference's; it must still train the network.
        InnerLoopCase c = smallCase("color_crop_cutout_flip_scale_rotate");
        c.first = "fixed-shape";
        c.second = "reference";
        c.epochs = 6;
        const InnerLoopCheck r = checkInnerLoop(c);
        QCOMPARE(QString::fromStdString(r.firstMode), QStringLiteral("fixed-shape"));
        QVERIFY2(r.parameterChange > 1e-3, "the fixed-shape loop did not train the network");
        QVERIFY2(r.lossAfter < r.lossBefore, "training did not lower the loss on the synthetic set");
        QVERIFY2(r.parameterDifference > 0, "different augmentation draws cannot give identical parameters");
    }

    void applyChosenKeepsTheChosenGroup()
    {
        const DsaChosenCheck r = checkDsaApplyChosen("color_crop_cutout_flip_scale_rotate", 7);
        QCOMPARE(r.differenceFromApply.size(), std::size_t(6));
        for (std::size_t k = 0; k < r.differenceFromApply.size(); ++k) {
            QCOMPARE(r.differenceFromApply[k], 0.0);
            if (k > 0) // every group changes a random batch differently
                QVERIFY2(r.differenceFromFirst[k] > 1e-3, qPrintable(QString::number(k)));
        }
    }

    void graphsOnTheCpuFallBackToTheReference()
    {
        InnerLoopCase c = smallCase("crop");
        c.second = "graphed";
        const InnerLoopCheck r = checkInnerLoop(c);
        QCOMPARE(QString::fromStdString(r.secondMode), QStringLiteral("reference"));
        QVERIFY(!r.fallbackReason.empty());
        QVERIFY2(r.parameterDifference <= 1e-6, qPrintable(QString::number(r.parameterDifference)));
    }

    void emulatedGraphsTrainLikeTheFixedShapeBody_data()
    {
        QTest::addColumn<QString>("augment");
        QTest::addColumn<QString>("norm");
        QTest::newRow("DC, instance norm") << QStringLiteral("none") << QStringLiteral("instance");
        QTest::newRow("DSA, instance norm") << QStringLiteral("color_crop_cutout_flip_scale_rotate") << QStringLiteral("instance");
        QTest::newRow("DSA, batch norm") << QStringLiteral("color_crop_cutout_flip_scale_rotate") << QStringLiteral("batch");
    }

    void emulatedGraphsTrainLikeTheFixedShapeBody()
    {
        // The graphed mode's bookkeeping on the CPU (capture = warm-ups + keep the body, replay = call it), captured
        // lazily inside train() after the seed as in a run: its warm-up steps must leave no trace in the parameters,
        // the batch-norm statistics or the random generator, and each replay must see the right indices and group.
        QFETCH(QString, augment);
        QFETCH(QString, norm);
        InnerLoopCase c = smallCase(augment.toStdString());
        c.norm = norm.toStdString();
        c.first = "fixed-shape";
        c.second = "graphed";
        c.emulateGraphs = true;
        c.prepareFirst = false;
        const InnerLoopCheck r = checkInnerLoop(c);
        QCOMPARE(QString::fromStdString(r.secondMode), QStringLiteral("graphed"));
        QVERIFY2(r.parameterChange > 1e-3, "the fixed-shape loop did not train the network");
        QVERIFY2(r.parameterDifference == 0, qPrintable(QString::number(r.parameterDifference)));
    }

    void unknownModeIsAnError()
    {
        InnerLoopCase c = smallCase("none");
        c.second = "warp-speed";
        QVERIFY_THROWS_EXCEPTION(distillery::core::Error, checkInnerLoop(c));
    }
};

QTEST_GUILESS_MAIN(TestInnerLoop)
#include "tst_innerloop.moc"
