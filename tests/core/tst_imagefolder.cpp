// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtures.h"

#include <distillery/datasets.h>
#include <distillery/error.h>

#include <QDir>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

using namespace distillery::core;

class TestImageFolder : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    const QStringList m_names{QStringLiteral("b_cat"), QStringLiteral("a_dog"), QStringLiteral("C_bird")};

    DataConfig folder(const QString& path, int size = 12)
    {
        DataConfig config;
        config.source = "folder:" + path.toStdString();
        config.imageSize = size;
        return config;
    }

    QString errorOf(const DataConfig& config)
    {
        return fixtures::errorMessage([&] { inspectDataset(config); });
    }

private Q_SLOTS:
    void seededSplitGreyResized()
    {
        const QString dir = m_dir.filePath(QStringLiteral("grey"));
        fixtures::writeImageFolder(dir, fixtures::makeToyImages(3, 10, 16, 1, 1), m_names);
        QDir().mkpath(dir + QStringLiteral("/.ipynb_checkpoints")); // hidden folders are not classes
        DataConfig config = folder(dir);
        config.testFraction = 0.2;
        const DatasetInfo info = inspectDataset(config);
        // Sorted by code point, like Python's sorted(): upper case first.
        QCOMPARE(info.classNames, std::vector<std::string>({"C_bird", "a_dog", "b_cat"}));
        QCOMPARE(info.channels, 1);
        QCOMPARE(info.height, 12);
        QCOMPARE(info.trainPerClass, std::vector<std::int64_t>({8, 8, 8}));
        QCOMPARE(info.testPerClass, std::vector<std::int64_t>({2, 2, 2}));
        // The same seed gives the same split; another seed another one.
        QCOMPARE(inspectDataset(config).fingerprint, info.fingerprint);
        config.splitSeed = 99;
        QVERIFY(inspectDataset(config).fingerprint != info.fingerprint);
    }

    void trainTestFoldersAndColour()
    {
        const QString dir = m_dir.filePath(QStringLiteral("split"));
        fixtures::writeImageFolder(dir + QStringLiteral("/train"), fixtures::makeToyImages(3, 4, 16, 3, 1), m_names);
        fixtures::writeImageFolder(dir + QStringLiteral("/test"), fixtures::makeToyImages(3, 2, 16, 3, 2), m_names);
        const DatasetInfo info = inspectDataset(folder(dir, 16));
        QCOMPARE(info.channels, 3);
        QCOMPARE(info.trainCount(), std::int64_t(12));
        QCOMPARE(info.testCount(), std::int64_t(6));
        DataConfig grey = folder(dir, 16);
        grey.color = "grey";
        QCOMPARE(inspectDataset(grey).channels, 1);
    }

    void sixteenBitImagesUseTheirRange()
    {
        // 12-bit data in a 16-bit file (as DICOM and 16-bit PNG X-rays hold): the brightest pixel becomes 255.
        const QString dir = m_dir.filePath(QStringLiteral("sixteen"));
        for (const QString& name : {QStringLiteral("a"), QStringLiteral("b")}) {
            QDir().mkpath(dir + u'/' + name);
            for (int n = 0; n < 3; ++n) {
                QImage image(8, 8, QImage::Format_Grayscale16);
                for (int y = 0; y < 8; ++y)
                    for (int x = 0; x < 8; ++x)
                        reinterpret_cast<quint16*>(image.scanLine(y))[x] = static_cast<quint16>((x + y) * 4095 / 14);
                QVERIFY(image.save(dir + QStringLiteral("/%1/%2.png").arg(name).arg(n)));
            }
        }
        DataConfig config = folder(dir, 8);
        config.testFraction = 0.34;
        const DatasetInfo info = inspectDataset(config);
        QCOMPARE(info.channels, 1);
        // Mean of (x + y)·255/14 over the 8×8 ramp, scaled to [0, 1]: 7·255/14/255 = 0.5.
        QVERIFY2(std::abs(info.mean[0] - 0.5) < 0.01, qPrintable(QString::number(info.mean[0])));
    }

    void unreadableImage()
    {
        const QString dir = m_dir.filePath(QStringLiteral("corrupt"));
        fixtures::writeImageFolder(dir, fixtures::makeToyImages(3, 3, 16, 1, 1), m_names);
        fixtures::writeFile(dir + QStringLiteral("/a_dog/broken.png"), QByteArrayLiteral("not a png at all"));
        const QString message = errorOf(folder(dir));
        QVERIFY2(message.contains(QLatin1String("broken.png: cannot read image")), qPrintable(message));
    }

    void classWithoutImages()
    {
        const QString dir = m_dir.filePath(QStringLiteral("empty"));
        fixtures::writeImageFolder(dir, fixtures::makeToyImages(3, 3, 16, 1, 1), m_names);
        QDir().mkpath(dir + QStringLiteral("/d_fish"));
        fixtures::writeFile(dir + QStringLiteral("/d_fish/notes.txt"), QByteArrayLiteral("no images here"));
        const QString message = errorOf(folder(dir));
        QVERIFY2(message.contains(QLatin1String("d_fish: found no image file")), qPrintable(message));
    }

    /// Two classes of three `rows`×`rows` DICOM images each (12-bit ramps), as a scanner would export them.
    QString writeDicomFolder(const QString& name, int rows)
    {
        const QString dir = m_dir.filePath(name);
        for (int c = 0; c < 2; ++c) {
            QDir().mkpath(dir + QStringLiteral("/class%1").arg(c));
            for (int i = 0; i < 3; ++i) {
                std::vector<std::uint16_t> pixels(static_cast<std::size_t>(rows * rows));
                for (std::size_t p = 0; p < pixels.size(); ++p)
                    pixels[p] = static_cast<std::uint16_t>((p * 37 + static_cast<std::size_t>(c * 1000 + i)) % 4096);
                fixtures::writeFile(dir + QStringLiteral("/class%1/%2.dcm").arg(c).arg(i), fixtures::dicomBytes(rows, rows, pixels));
            }
        }
        return dir;
    }

    void dicomImagesLoad()
    {
        DataConfig config = folder(writeDicomFolder(QStringLiteral("dicom"), 10), 0);
        config.testFraction = 0;
        const DatasetInfo info = inspectDataset(config);
        QCOMPARE(info.height, 10);
        QCOMPARE(info.channels, 1);
        QCOMPARE(info.trainPerClass, std::vector<std::int64_t>({3, 3}));
    }

    // Issue 16, defect 2: a truncated DICOM file stopped the whole process (an assertion inside the decoder), and
    // one cut inside its pixel data loaded with a warning. Every cut is now one error naming the file.
    void truncatedDicomIsAnErrorAtEveryCut()
    {
        const QString dir = writeDicomFolder(QStringLiteral("dicomcut"), 10);
        const QString file = dir + QStringLiteral("/class0/0.dcm");
        QFile in(file);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray whole = in.readAll();
        in.close();
        DataConfig config = folder(dir, 0);
        config.testFraction = 0;
        for (int cut = 132; cut < whole.size(); cut += 7) {
            fixtures::writeFile(file, whole.left(cut));
            const QString message = errorOf(config);
            QVERIFY2(message.startsWith(file + QStringLiteral(": ")), qPrintable(QStringLiteral("cut at %1: %2").arg(cut).arg(message)));
        }
        // A VR the decoder's dictionary disagrees with (found by mutating a valid file) is refused the same way.
        QByteArray wrongVr = whole;
        const int at = wrongVr.indexOf(QByteArray("\x28\x00\x02\x00US", 6));
        QVERIFY(at > 0);
        wrongVr[at + 4] = 'I';
        wrongVr[at + 5] = 'S';
        fixtures::writeFile(file, wrongVr);
        QVERIFY2(errorOf(config).contains(QLatin1String("with VR IS instead of US")), qPrintable(errorOf(config)));
    }

    // Compressed pixel data reached GDCM's JPEG codec, which aborted on a damaged stream: refused by name.
    void compressedDicomIsRefused()
    {
        const QString dir = writeDicomFolder(QStringLiteral("dicomjpeg"), 10);
        const QString file = dir + QStringLiteral("/class0/0.dcm");
        QFile in(file);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray bytes = in.readAll();
        in.close();
        // The explicit VR syntax (19 characters, padded to 20) becomes the JPEG family's prefix, also 20 characters,
        // so no length in the file changes.
        const int at = bytes.indexOf(QByteArray("1.2.840.10008.1.2.1\0", 20));
        QVERIFY(at > 0);
        bytes.replace(at, 20, QByteArray("1.2.840.10008.1.2.4.", 20));
        fixtures::writeFile(file, bytes);
        DataConfig config = folder(dir, 0);
        config.testFraction = 0;
        const QString message = errorOf(config);
        QVERIFY2(message.startsWith(file) && message.contains(QLatin1String("compressed DICOM")), qPrintable(message));
    }

    // Issue 16, defect 9: a 100000×100000 PNG gave OpenCV's assertion text, naming no file.
    void hugeImageIsNamed()
    {
        const QString dir = m_dir.filePath(QStringLiteral("huge"));
        fixtures::writeImageFolder(dir, fixtures::makeToyImages(3, 3, 16, 1, 1), m_names);
        // A PNG signature and an IHDR chunk claiming 100000×100000 grey pixels (its CRC computed here), no pixels.
        QByteArray ihdr("IHDR");
        for (int side = 0; side < 2; ++side)
            ihdr += QByteArray("\x00\x01\x86\xA0", 4); // 100000, big-endian
        ihdr += QByteArray("\x08\x00\x00\x00\x00", 5);
        std::uint32_t crc = 0xFFFFFFFFu;
        for (char ch : ihdr) {
            crc ^= static_cast<std::uint8_t>(ch);
            for (int k = 0; k < 8; ++k)
                crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
        crc ^= 0xFFFFFFFFu;
        QByteArray png("\x89PNG\r\n\x1a\n", 8);
        png += QByteArray("\x00\x00\x00\x0d", 4) + ihdr;
        for (int shift = 24; shift >= 0; shift -= 8)
            png.append(static_cast<char>((crc >> shift) & 0xFF));
        fixtures::writeFile(dir + QStringLiteral("/a_dog/huge.png"), png);
        const QString message = errorOf(folder(dir));
        QVERIFY2(message.contains(QLatin1String("huge.png: ")) && !message.contains(QLatin1String("OpenCV(")), qPrintable(message));
    }

    void notAFolder() { QVERIFY(errorOf(folder(m_dir.filePath(QStringLiteral("none")))).contains(QLatin1String("folder not found"))); }
};

QTEST_APPLESS_MAIN(TestImageFolder)
#include "tst_imagefolder.moc"
