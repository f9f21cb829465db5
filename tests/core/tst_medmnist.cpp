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
#include <cstring>

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

    /// A two-class grey archive with the labels stored as `descr` (values 0/1 alternating), and `extra` appended to the
    /// training labels.
    QString writeWithLabels(const QString& name, const std::string& descr, int itemBytes, std::int64_t extra = -1)
    {
        const int n = extra >= 0 ? 7 : 6;
        NpyArray images{"|u1", {n, 4, 4}, std::vector<std::uint8_t>(static_cast<std::size_t>(n) * 16, 9)};
        for (std::size_t i = 0; i < images.bytes.size(); ++i)
            images.bytes[i] = static_cast<std::uint8_t>(i * 7);
        auto labelArray = [&](int count, std::int64_t last) {
            NpyArray labels{descr, {count, 1}, std::vector<std::uint8_t>(static_cast<std::size_t>(count * itemBytes), 0)};
            for (int i = 0; i < count; ++i) {
                const std::int64_t v = (i == count - 1 && last >= 0) ? last : i % 2;
                std::memcpy(labels.bytes.data() + static_cast<std::size_t>(i * itemBytes), &v, static_cast<std::size_t>(itemBytes));
            }
            return labels;
        };
        NpyArray testImages{"|u1", {6, 4, 4}, std::vector<std::uint8_t>(96, 3)};
        const QString path = m_dir.filePath(name);
        writeNpz(path.toStdString(), {{"train_images", images}, {"train_labels", labelArray(n, extra)},
                                         {"test_images", testImages}, {"test_labels", labelArray(6, -1)}});
        return path;
    }

    // Issue 16, defect 1: int64 labels were read from the archive's buffer after it was freed.
    void int64LabelsLoadLikeNarrowOnes_data()
    {
        QTest::addColumn<QString>("descr");
        QTest::addColumn<int>("itemBytes");
        QTest::newRow("<i8") << QStringLiteral("<i8") << 8;
        QTest::newRow("<i4") << QStringLiteral("<i4") << 4;
        QTest::newRow("|u1") << QStringLiteral("|u1") << 1;
    }

    void int64LabelsLoadLikeNarrowOnes()
    {
        QFETCH(QString, descr);
        QFETCH(int, itemBytes);
        // The archive is read and freed inside the reader; make sure the freed buffer is overwritten before use.
        for (int round = 0; round < 3; ++round) {
            const QString path = writeWithLabels(QStringLiteral("labels%1.npz").arg(itemBytes), descr.toStdString(), itemBytes);
            const DatasetInfo info = inspectDataset(medmnist(path));
            QCOMPARE(info.trainPerClass, std::vector<std::int64_t>({3, 3}));
            QCOMPARE(info.testPerClass, std::vector<std::int64_t>({3, 3}));
        }
    }

    // Issue 16, defect 3: one label of 2^31 − 1 made 2^31 classes (17 GB, minutes) before "out of memory".
    void hugeLabelIsRefusedBeforeAnythingIsSizedByIt()
    {
        const QString path = writeWithLabels(QStringLiteral("huge.npz"), "<i4", 4, 2147483647);
        const QString message = errorOf(medmnist(path));
        QVERIFY2(message.contains(QLatin1String("[train_labels]: label 2147483647 cannot be a class index")), qPrintable(message));
    }

    // Issue 16, defect 9: an archive with no images gave torch's "max(): Expected reduction dim …".
    void zeroImagesAreNamed()
    {
        const QString path = m_dir.filePath(QStringLiteral("empty.npz"));
        const NpyArray none{"|u1", {0, 4, 4}, {}};
        const NpyArray noLabels{"|u1", {0, 1}, {}};
        writeNpz(path.toStdString(), {{"train_images", none}, {"train_labels", noLabels}, {"test_images", none}, {"test_labels", noLabels}});
        const QString message = errorOf(medmnist(path));
        QVERIFY2(message.contains(QLatin1String("no training images")), qPrintable(message));
    }

    // Issue 16, defect 7: bytes damaged inside a stored entry loaded silently.
    void damagedEntryIsRefusedByItsCrc()
    {
        const QString path = writeWithLabels(QStringLiteral("damaged.npz"), "|u1", 1);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray bytes = file.readAll();
        file.close();
        // The training images are i·7 mod 256: find them (stored, uncompressed) and zero 64 bytes in the middle.
        QByteArray pattern;
        for (int i = 0; i < 16; ++i)
            pattern.append(static_cast<char>(i * 7));
        const auto at = bytes.indexOf(pattern);
        QVERIFY(at > 0);
        for (int i = 20; i < 84; ++i)
            bytes[at + i] = 0;
        fixtures::writeFile(path, bytes);
        const QString message = errorOf(medmnist(path));
        QVERIFY2(message.contains(QLatin1String("damaged")) && message.contains(QLatin1String("train_images")), qPrintable(message));
    }

    // Issue 16, defect 8: a shape whose product wraps around 64 bits to the real byte count passed the size check.
    void shapeProductThatWrapsIsRefused()
    {
        // 4611686018427387905 · 4 = 2^64 + 4, which wraps to the 4 bytes that follow.
        NpyArray honest{"|u1", {4}, {1, 2, 3, 4}};
        std::vector<std::uint8_t> bytes = encodeNpy(honest);
        const std::string header(bytes.begin(), bytes.end());
        const std::string from = "(4,)";
        const std::string to = "(4611686018427387905, 4)";
        const auto at = header.find(from);
        QVERIFY(at != std::string::npos);
        std::string patched = header;
        patched.replace(at, from.size(), to);
        // Keep the header length: take the extra characters out of the padding before the newline.
        const auto newline = patched.find('\n');
        patched.erase(newline - (to.size() - from.size()), to.size() - from.size());
        const std::vector<std::uint8_t> wrapped(patched.begin(), patched.end());
        const QString message = fixtures::errorMessage([&] { decodeNpy(wrapped, "wrapped.npy"); });
        QVERIFY2(message.contains(QLatin1String("wrapped.npy")) && message.contains(QLatin1String("64 bits")), qPrintable(message));
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
