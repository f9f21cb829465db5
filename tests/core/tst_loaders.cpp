// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Issue 12: what a run sees depends on the data, not on the container it came in. The same 28×28 digits as IDX
// files, as an image folder and as a MedMNIST npz (its training images split into train_* and val_*) load alike
// and distil to the same synthetic set, bit for bit, with the same seed and settings.
#include "fixtures.h"

#include <distillery/augment.h>
#include <distillery/datasets.h>
#include <distillery/runcontrol.h>
#include <distillery/session.h>

#include <QTemporaryDir>
#include <QTest>

using namespace distillery::core;

class TestLoaders : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    // 3 digit classes, 28×28 grey: the MNIST shape, labels interleaved as in the real files.
    fixtures::ToyImages m_train = fixtures::makeToyImages(3, 20, 28, 1, 11);
    fixtures::ToyImages m_test = fixtures::makeToyImages(3, 4, 28, 1, 12);
    std::string m_idx;
    std::string m_folder;
    std::string m_npz;

    SyntheticSet distil(const std::string& source)
    {
        RunConfig c = fixtures::tinyRun(source, "dsa", 2, 3);
        c.params.set("init", std::string("real")); // real images: their order within each class matters too
        c.outDir.clear();
        c.finalEval = false;
        c.seed = 7;
        Session session(c);
        RunControl control;
        session.run(control);
        return session.synthetic();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_idx = fixtures::writeIdx(m_dir.filePath(QStringLiteral("idx")), m_train, m_test).toStdString();
        const QStringList names{QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("2")};
        const QString folder = m_dir.filePath(QStringLiteral("folder"));
        fixtures::writeImageFolder(folder + QStringLiteral("/train"), m_train, names);
        fixtures::writeImageFolder(folder + QStringLiteral("/test"), m_test, names);
        m_folder = "folder:" + folder.toStdString();
        // The first 45 training images as train_*, the last 15 as val_*: together the IDX training split, in order.
        const QString npz = m_dir.filePath(QStringLiteral("digits.npz"));
        const fixtures::ToyImages val = fixtures::sliceImages(m_train, 45, 60);
        fixtures::writeMedMnist(npz, fixtures::sliceImages(m_train, 0, 45), m_test, 1, &val);
        m_npz = "medmnist:" + npz.toStdString();
    }

    void imageFolderKeepsItsNativeSize()
    {
        DataConfig data;
        data.source = m_folder;
        const DatasetInfo info = inspectDataset(data);
        QCOMPARE(info.height, 28);
        QCOMPARE(info.width, 28);
        data.imageSize = 32; // asked for: resized, and said
        const DatasetInfo resized = inspectDataset(data);
        QCOMPARE(resized.height, 32);
        const bool said = std::any_of(resized.notes.begin(), resized.notes.end(),
            [](const std::string& n) { return n.find("resized 72 of 72 images to 32×32") != std::string::npos; });
        QVERIFY(said);
    }

    void theSameDigitsLoadAlikeInEveryContainer()
    {
        for (const std::string& source : {m_idx, m_folder, m_npz}) {
            DataConfig data;
            data.source = source;
            const DatasetInfo info = inspectDataset(data);
            QCOMPARE(info.trainCount(), std::int64_t(60));
            QCOMPARE(info.testCount(), std::int64_t(12));
            QCOMPARE(info.channels, 1);
            QCOMPARE(info.height, 28);
            // Numeral classes: no flips, whatever the container (IDX used to decide this alone).
            QCOMPARE(info.dsaStrategy, std::string(kDsaStrategyNoFlip));
        }
    }

    void theSameDigitsDistilToTheSameSet()
    {
        const SyntheticSet idx = distil(m_idx);
        const SyntheticSet folder = distil(m_folder);
        const SyntheticSet npz = distil(m_npz);
        QCOMPARE(folder.initIndices.size(), idx.initIndices.size());
        QVERIFY(idx.images.data == folder.images.data);
        QVERIFY(idx.images.data == npz.images.data);
        QCOMPARE(folder.labels, idx.labels);
        QCOMPARE(npz.labels, idx.labels);
        // The chosen starting images are the same images; their indices differ only where the containers order the
        // training split differently (the folder holds it class by class), so they are not compared.
    }

    void flipsFollowTheUsersChoice()
    {
        DataConfig data;
        data.source = m_folder;
        data.flips = "on";
        QCOMPARE(inspectDataset(data).dsaStrategy, std::string(kDsaStrategyDefault));
        std::string why;
        QVERIFY(dsaFlips("auto", {"T-shirt", "Trouser"}, &why));
        QVERIFY(!dsaFlips("auto", {"0", "1", "12"}, &why));
        QVERIFY(!dsaFlips("auto", {"a", "b"}, &why));
        QVERIFY(why.find("numerals") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestLoaders)
#include "tst_loaders.moc"
