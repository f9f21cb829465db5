// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtures.h"

#include <distillery/datasets.h>
#include <distillery/error.h>
#include <distillery/npz.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace distillery::core;

class TestMedMnist : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    DataConfig medmnist(const QString& path)
    {
        DataConfig config;
        config.source = "medmnist:" + path.toStdString();
        return config;
    }

    QString errorOf(const DataConfig& config)
    {
        return fixtures::errorMessage([&] { inspectDataset(config); });
    }

private Q_SLOTS:
    void greyBinaryWithKnownNames()
    {
        const QString path = m_dir.filePath(QStringLiteral("pneumoniamnist.npz"));
        fixtures::writeMedMnist(path, fixtures::makeToyImages(2, 6, 28, 1, 1), fixtures::makeToyImages(2, 3, 28, 1, 2));
        const DatasetInfo info = inspectDataset(medmnist(path));
        QCOMPARE(info.classNames, std::vector<std::string>({"normal", "pneumonia"}));
        QCOMPARE(info.channels, 1);
        QCOMPARE(info.height, 28);
        // The fixture's val split (a copy of the 6 test images) joins the 12 training images, and the log says so.
        QCOMPARE(info.trainCount(), std::int64_t(12 + 6));
        QCOMPARE(info.testCount(), std::int64_t(6));
        const bool said = std::any_of(info.notes.begin(), info.notes.end(),
            [](const std::string& n) { return n.find("6 val_images joined the 12 train_images") != std::string::npos; });
        QVERIFY(said);
    }

    void rgbIsConvertedFromHwc()
    {
        const QString path = m_dir.filePath(QStringLiteral("bloodmnist_64.npz"));
        const auto train = fixtures::makeToyImages(8, 2, 16, 3, 5);
        const auto test = fixtures::makeToyImages(8, 1, 16, 3, 6);
        fixtures::writeMedMnist(path, train, test);
        const DatasetInfo info = inspectDataset(medmnist(path));
        QCOMPARE(info.channels, 3);
        QCOMPARE(info.classNames.front(), std::string("basophil"));
        // The per-channel means prove the HWC → CHW conversion kept channels apart (over train and val, which
        // the fixture fills with the test images).
        for (int c = 0; c < 3; ++c) {
            double sum = 0;
            for (const auto* split : {&train, &test})
                for (int i = 0; i < split->count; ++i)
                    for (int p = 0; p < 16 * 16; ++p)
                        sum += split->image(i)[c * 256 + p] / 255.0;
            QVERIFY(std::abs(info.mean[c] - sum / ((train.count + test.count) * 256)) < 1e-4);
        }
    }

    void multiLabelIsRefused()
    {
        const QString path = m_dir.filePath(QStringLiteral("chestmnist.npz"));
        fixtures::writeMedMnist(path, fixtures::makeToyImages(2, 4, 28, 1, 1), fixtures::makeToyImages(2, 2, 28, 1, 2), 14);
        const QString message = errorOf(medmnist(path));
        QVERIFY2(message.contains(QLatin1String("multi-label")) && message.contains(QLatin1String("ChestMNIST")),
            qPrintable(message));
    }

    void volumesAreRefused()
    {
        const QString path = m_dir.filePath(QStringLiteral("organmnist3d.npz"));
        NpyArray volume{"|u1", {2, 4, 4, 4}, std::vector<std::uint8_t>(128, 7)};
        NpyArray labels{"|u1", {2, 1}, {0, 1}};
        writeNpz(path.toStdString(), {{"train_images", volume}, {"train_labels", labels}, {"test_images", volume}, {"test_labels", labels}});
        QVERIFY(errorOf(medmnist(path)).contains(QLatin1String("3D volumes")));
    }

    void missingKeyAndCorruptArchive()
    {
        const QString path = m_dir.filePath(QStringLiteral("partial.npz"));
        writeNpz(path.toStdString(), {{"train_images", NpyArray{"|u1", {1, 2, 2}, {1, 2, 3, 4}}}});
        QVERIFY(errorOf(medmnist(path)).contains(QLatin1String("no array 'train_labels'")));

        const QString corrupt = m_dir.filePath(QStringLiteral("corrupt.npz"));
        fixtures::writeFile(corrupt, QByteArrayLiteral("PK\x03\x04 this is not really a zip"));
        QVERIFY(errorOf(medmnist(corrupt)).contains(QLatin1String("corrupt.npz")));
        QVERIFY(errorOf(medmnist(m_dir.filePath(QStringLiteral("absent.npz")))).contains(QLatin1String("file not found")));
    }

    void npyRoundTripAndRefusals()
    {
        NpyArray a{"<f4", {2, 3}, std::vector<std::uint8_t>(24, 0)};
        const auto bytes = encodeNpy(a);
        QCOMPARE(bytes.size() % 64, std::size_t(24)); // header padded to a multiple of 64, then 24 data bytes
        const NpyArray b = decodeNpy(bytes, "a");
        QCOMPARE(b.shape, a.shape);
        QCOMPARE(b.descr, a.descr);
        std::vector<std::uint8_t> fortran = bytes;
        const auto at = std::search(fortran.begin(), fortran.end(), std::begin("False"), std::end("False") - 1);
        std::copy_n("True ", 5, at);
        QVERIFY_THROWS_EXCEPTION(Error, decodeNpy(fortran, "f"));
        NpyArray objects{"|O", {1}, std::vector<std::uint8_t>(8, 0)};
        QVERIFY_THROWS_EXCEPTION(Error, encodeNpy(objects));
    }
};

QTEST_APPLESS_MAIN(TestMedMnist)
#include "tst_medmnist.moc"
