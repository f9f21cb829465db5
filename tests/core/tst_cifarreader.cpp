// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtures.h"

#include <distillery/datasets.h>
#include <distillery/error.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace distillery::core;

class TestCifarReader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    DataConfig writeGood(const QString& name)
    {
        const auto train = fixtures::makeToyImages(10, 2, 32, 3, 3);
        const auto test = fixtures::makeToyImages(10, 1, 32, 3, 4);
        DataConfig config;
        config.source = fixtures::writeCifar10(m_dir.filePath(name), train, test).toStdString();
        return config;
    }

    QString errorOf(const DataConfig& config)
    {
        return fixtures::errorMessage([&] { inspectDataset(config); });
    }

private Q_SLOTS:
    void readsBinaryBatches()
    {
        const DatasetInfo info = inspectDataset(writeGood(QStringLiteral("good")));
        QCOMPARE(info.name, std::string("CIFAR-10"));
        QCOMPARE(info.channels, 3);
        QCOMPARE(info.height, 32);
        QCOMPARE(info.trainCount(), std::int64_t(20));
        QCOMPARE(info.testCount(), std::int64_t(10));
        QCOMPARE(info.classNames.front(), std::string("airplane"));
        QCOMPARE(info.classNames.back(), std::string("truck"));
        // Reference constants, not values computed on our toy data.
        QCOMPARE(info.mean, std::vector<float>({0.4914f, 0.4822f, 0.4465f}));
    }

    void truncatedBatch()
    {
        const DataConfig config = writeGood(QStringLiteral("truncated"));
        const QString path = m_dir.filePath(QStringLiteral("truncated/data_batch_3.bin"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.resize(file.size() - 10));
        file.close();
        const QString message = errorOf(config);
        QVERIFY2(message.contains(QLatin1String("data_batch_3.bin")) && message.contains(QLatin1String("3073-byte")),
            qPrintable(message));
    }

    void labelOutOfRange()
    {
        const DataConfig config = writeGood(QStringLiteral("badlabel"));
        const QString path = m_dir.filePath(QStringLiteral("badlabel/test_batch.bin"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        file.seek(3073); // second record's label byte
        file.write("\x0c", 1);
        file.close();
        const QString message = errorOf(config);
        QVERIFY2(message.contains(QLatin1String("test_batch.bin: record 1 has label 12")), qPrintable(message));
    }

    void missingBatch()
    {
        const DataConfig config = writeGood(QStringLiteral("missing"));
        QFile::remove(m_dir.filePath(QStringLiteral("missing/data_batch_5.bin")));
        QVERIFY(errorOf(config).contains(QLatin1String("data_batch_5.bin: file not found")));
    }
};

QTEST_APPLESS_MAIN(TestCifarReader)
#include "tst_cifarreader.moc"
