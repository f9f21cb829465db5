// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtures.h"

#include <distillery/datasets.h>
#include <distillery/error.h>

#include <QTemporaryDir>
#include <QTest>

using namespace distillery::core;

class TestIdxReader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fixtures::ToyImages m_train = fixtures::makeToyImages(3, 5, 16, 1, 7);
    fixtures::ToyImages m_test = fixtures::makeToyImages(3, 2, 16, 1, 8);

    DataConfig source(const QString& dir)
    {
        DataConfig config;
        config.source = "idx:" + dir.toStdString();
        return config;
    }

    /// A fresh copy of the good plain data set, for one corrupted file.
    QString goodPlainCopy(const QString& name)
    {
        const QString dir = m_dir.filePath(name);
        fixtures::writeIdx(dir, m_train, m_test, false);
        return dir;
    }

    void expectError(const DataConfig& config, const char* fragment)
    {
        try {
            inspectDataset(config);
            QFAIL("no error");
        } catch (const Error& e) {
            const QString message = QString::fromStdString(e.what());
            QVERIFY2(message.contains(QLatin1String(fragment)), qPrintable(message));
            QVERIFY2(!message.contains(u'\n'), "errors are one line");
        }
    }

private Q_SLOTS:
    void readsGzippedAndPlain_data()
    {
        QTest::addColumn<bool>("gzipped");
        QTest::newRow("gzip") << true;
        QTest::newRow("plain") << false;
    }

    void readsGzippedAndPlain()
    {
        QFETCH(bool, gzipped);
        const QString dir = m_dir.filePath(gzipped ? QStringLiteral("gz") : QStringLiteral("plain"));
        fixtures::writeIdx(dir, m_train, m_test, gzipped);
        const DatasetInfo info = inspectDataset(source(dir));
        QCOMPARE(info.channels, 1);
        QCOMPARE(info.height, 16);
        QCOMPARE(info.classNames.size(), std::size_t(3));
        QCOMPARE(info.trainCount(), std::int64_t(15));
        QCOMPARE(info.testCount(), std::int64_t(6));
        QCOMPARE(info.trainPerClass, std::vector<std::int64_t>({5, 5, 5}));
        // Normalisation is computed on the training split when there are no reference constants.
        double sum = 0;
        for (auto p : m_train.pixels)
            sum += p / 255.0;
        QVERIFY(std::abs(info.mean[0] - sum / m_train.pixels.size()) < 1e-5);
        QVERIFY(info.std[0] > 0);
    }

    void sameDataSameFingerprint()
    {
        fixtures::writeIdx(m_dir.filePath(QStringLiteral("a")), m_train, m_test, true);
        fixtures::writeIdx(m_dir.filePath(QStringLiteral("b")), m_train, m_test, false);
        fixtures::writeIdx(m_dir.filePath(QStringLiteral("c")), m_test, m_test, false);
        const auto a = inspectDataset(source(m_dir.filePath(QStringLiteral("a")))).fingerprint;
        QCOMPARE(inspectDataset(source(m_dir.filePath(QStringLiteral("b")))).fingerprint, a);
        QVERIFY(inspectDataset(source(m_dir.filePath(QStringLiteral("c")))).fingerprint != a);
    }

    void classNamesFromFile()
    {
        const QString dir = goodPlainCopy(QStringLiteral("named"));
        fixtures::writeFile(dir + QStringLiteral("/classes.txt"), QByteArrayLiteral("zero\none\ntwo\n"));
        QCOMPARE(inspectDataset(source(dir)).classNames, std::vector<std::string>({"zero", "one", "two"}));
    }

    void missingFolder() { expectError(source(m_dir.filePath(QStringLiteral("nowhere"))), "folder not found"); }

    void missingLabelsFile()
    {
        const QString dir = goodPlainCopy(QStringLiteral("nolabels"));
        QFile::remove(dir + QStringLiteral("/t10k-labels-idx1-ubyte"));
        expectError(source(dir), "missing t10k-labels-idx1-ubyte");
    }

    void wrongMagic()
    {
        const QString dir = goodPlainCopy(QStringLiteral("magic"));
        QByteArray bytes = fixtures::idxBytes({15}, m_train.labels);
        bytes[0] = 'P'; // e.g. a PNG renamed
        fixtures::writeFile(dir + QStringLiteral("/train-labels-idx1-ubyte"), bytes);
        expectError(source(dir), "train-labels-idx1-ubyte: not an IDX file");
    }

    void imagesFileWhereLabelsBelong()
    {
        const QString dir = goodPlainCopy(QStringLiteral("swapped"));
        fixtures::writeFile(dir + QStringLiteral("/train-labels-idx1-ubyte"), fixtures::idxBytes({15, 16, 16}, m_train.pixels));
        expectError(source(dir), "a labels file");
    }

    void truncatedData()
    {
        const QString dir = goodPlainCopy(QStringLiteral("truncated"));
        QByteArray bytes = fixtures::idxBytes({15, 16, 16}, m_train.pixels);
        bytes.chop(100);
        fixtures::writeFile(dir + QStringLiteral("/train-images-idx3-ubyte"), bytes);
        expectError(source(dir), "truncated IDX data");
    }

    void truncatedGzip()
    {
        const QString dir = m_dir.filePath(QStringLiteral("truncatedgz"));
        fixtures::writeIdx(dir, m_train, m_test, true);
        QByteArray bytes = fixtures::gzip(fixtures::idxBytes({15, 16, 16}, m_train.pixels));
        bytes.chop(bytes.size() / 2);
        fixtures::writeFile(dir + QStringLiteral("/train-images-idx3-ubyte.gz"), bytes);
        expectError(source(dir), "train-images-idx3-ubyte.gz");
    }

    void labelCountMismatch()
    {
        const QString dir = goodPlainCopy(QStringLiteral("count"));
        std::vector<std::uint8_t> fewer(m_train.labels.begin(), m_train.labels.end() - 1);
        fixtures::writeFile(dir + QStringLiteral("/train-labels-idx1-ubyte"), fixtures::idxBytes({14}, fewer));
        expectError(source(dir), "14 labels for 15 images");
    }

    void emptyClass()
    {
        const QString dir = goodPlainCopy(QStringLiteral("emptyclass"));
        fixtures::writeFile(dir + QStringLiteral("/classes.txt"), QByteArrayLiteral("a\nb\nc\nd\n"));
        expectError(source(dir), "class 3 (\"d\") has no training image");
    }

    void ipcLargerThanSmallestClass()
    {
        const QString dir = goodPlainCopy(QStringLiteral("ipc"));
        const DatasetInfo info = inspectDataset(source(dir));
        checkIpcFits(info, 5);
        try {
            checkIpcFits(info, 6);
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY(QString::fromStdString(e.what()).contains(QLatin1String("ipc: 6 images per class")));
        }
    }

    // Issue 16, defect 9: a test label past the training classes was "class 3 has no training image", naming
    // neither the label nor the file.
    void testLabelPastTheTrainingClassesNamesLabelAndFile()
    {
        const QString dir = goodPlainCopy(QStringLiteral("testlabel"));
        std::vector<std::uint8_t> labels = m_test.labels;
        labels[1] = 3;
        fixtures::writeFile(dir + QStringLiteral("/t10k-labels-idx1-ubyte"), fixtures::idxBytes({6}, labels));
        expectError(source(dir), "label 3 occurs only in");
        expectError(source(dir), "t10k-labels-idx1-ubyte");
    }

    // Issue 16, defect 3: the largest label decided the class count (and the memory taken) on its own.
    void labelBeyondAnyClassCountIsRefused()
    {
        const QString dir = goodPlainCopy(QStringLiteral("hugelabel"));
        std::vector<std::uint8_t> labels = m_train.labels;
        labels[4] = 200; // 201 classes from 15 training images
        fixtures::writeFile(dir + QStringLiteral("/train-labels-idx1-ubyte"), fixtures::idxBytes({15}, labels));
        expectError(source(dir), "train-labels-idx1-ubyte: label 200 cannot be a class index");
    }

    // Issue 16, defect 9: zero images gave a raw torch message ("max(): Expected reduction dim …").
    void zeroImagesAreNamed()
    {
        const QString dir = m_dir.filePath(QStringLiteral("zero"));
        const fixtures::ToyImages none = fixtures::sliceImages(m_train, 0, 0);
        fixtures::writeIdx(dir, none, none, false);
        expectError(source(dir), "no training images");
    }

    // Issue 16, defect 8: three dimensions of up to 2^32 − 1 multiplied in 64 bits can wrap to a small size.
    void headerWhoseSizeOverflowsIsRefused()
    {
        const QString dir = goodPlainCopy(QStringLiteral("overflow"));
        // 2^32−1 · 2^32−1 · 2^32−1 overflows 64 bits; the file holds nothing near it.
        fixtures::writeFile(dir + QStringLiteral("/train-images-idx3-ubyte"),
            fixtures::idxBytes({0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu}, {1, 2, 3}));
        expectError(source(dir), "corrupt header");
    }

    void unknownSource() { expectError(DataConfig{"mnist-please"}, "unknown source"); }
};

QTEST_APPLESS_MAIN(TestIdxReader)
#include "tst_idxreader.moc"
