// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtures.h"

#include <distillery/error.h>
#include <distillery/npz.h>
#include <distillery/syntheticio.h>
#include <distillery/syntheticset.h>

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>

using namespace distillery::core;

namespace {

SyntheticSet makeSet(bool soft)
{
    SyntheticSet s;
    s.numClasses = 3;
    s.classNames = {"T-shirt/top", "Trouser", "Ünïcode bag"};
    s.images = {6, 1, 4, 5, {}};
    for (int i = 0; i < 6 * 20; ++i)
        s.images.data.push_back(static_cast<float>(i % 17) * 0.25f - 1.5f);
    s.labels = {0, 0, 1, 1, 2, 2};
    if (soft)
        for (int i = 0; i < 6; ++i)
            for (int k = 0; k < 3; ++k)
                s.softLabels.push_back(k == s.labels[i] ? 0.8f : 0.1f);
    s.mean = {0.2861f};
    s.std = {0.3530f};
    s.learnedLr = soft ? std::vector<float>{0.01f, 0.02f} : std::vector<float>{};
    s.initIndices = {5, 17, -1, 3, 99, 100};
    s.metadata = {{"method", "test"}, {"seed", "42"}};
    return s;
}

void compareSets(const SyntheticSet& a, const SyntheticSet& b)
{
    QCOMPARE(a.images.count, b.images.count);
    QCOMPARE(a.images.channels, b.images.channels);
    QCOMPARE(a.images.height, b.images.height);
    QCOMPARE(a.images.width, b.images.width);
    QCOMPARE(a.images.data, b.images.data); // bit-exact float32
    QCOMPARE(a.labels, b.labels);
    QCOMPARE(a.softLabels, b.softLabels);
    QCOMPARE(a.classNames, b.classNames);
    QCOMPARE(a.mean, b.mean);
    QCOMPARE(a.std, b.std);
    QCOMPARE(a.learnedLr, b.learnedLr);
    QCOMPARE(a.initIndices, b.initIndices);
    QCOMPARE(b.metadata.at("method"), std::string("test"));
}

} // namespace

class TestSyntheticIo : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::string path(const char* name) { return m_dir.filePath(QLatin1String(name)).toStdString(); }

    QString errorOf(const std::function<void()>& fn) { return fixtures::errorMessage(fn); }

private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<bool>("soft");
        QTest::addColumn<bool>("npz");
        QTest::newRow("safetensors, hard") << false << false;
        QTest::newRow("safetensors, soft + lr") << true << false;
        QTest::newRow("npz, hard") << false << true;
        QTest::newRow("npz, soft + lr") << true << true;
    }

    void roundTrip()
    {
        QFETCH(bool, soft);
        QFETCH(bool, npz);
        const SyntheticSet set = makeSet(soft);
        const std::string file = path(npz ? "set.npz" : "set.safetensors");
        npz ? saveNpz(set, file) : saveSafetensors(set, file);
        compareSets(set, npz ? loadNpz(file) : loadSafetensors(file));
        compareSets(set, loadSyntheticSet(file));
    }

    void safetensorsLayoutFollowsTheSpec()
    {
        saveSafetensors(makeSet(false), path("layout.safetensors"));
        QFile f(m_dir.filePath(QStringLiteral("layout.safetensors")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        quint64 n = 0;
        for (int i = 7; i >= 0; --i)
            n = (n << 8) | static_cast<unsigned char>(bytes[i]);
        QCOMPARE(n % 8, quint64(0)); // padded so the data buffer is 8-aligned
        QCOMPARE(bytes[8], '{');
        const QByteArray header = bytes.mid(8, static_cast<int>(n));
        QVERIFY(header.contains("\"__metadata__\""));
        QVERIFY(header.contains("\"images\":{\"data_offsets\""));
        QVERIFY(header.contains("\"dtype\":\"F32\""));
        QVERIFY(header.contains("\"dtype\":\"I64\""));
    }

    void corruptSafetensorsAreRefused()
    {
        saveSafetensors(makeSet(false), path("good.safetensors"));
        QFile good(m_dir.filePath(QStringLiteral("good.safetensors")));
        QVERIFY(good.open(QIODevice::ReadOnly));
        const QByteArray bytes = good.readAll();

        fixtures::writeFile(m_dir.filePath(QStringLiteral("trailing.safetensors")), bytes + '\0');
        QVERIFY(errorOf([&] { loadSafetensors(path("trailing.safetensors")); }).contains(QLatin1String("trailing")));
        fixtures::writeFile(m_dir.filePath(QStringLiteral("short.safetensors")), bytes.left(bytes.size() - 4));
        QVERIFY(errorOf([&] { loadSafetensors(path("short.safetensors")); }).contains(QLatin1String("truncated")));
        QByteArray huge = bytes;
        huge[6] = '\x7f';
        fixtures::writeFile(m_dir.filePath(QStringLiteral("huge.safetensors")), huge);
        QVERIFY(errorOf([&] { loadSafetensors(path("huge.safetensors")); }).contains(QLatin1String("too large")));
        QByteArray notJson = bytes;
        notJson[8] = '[';
        fixtures::writeFile(m_dir.filePath(QStringLiteral("array.safetensors")), notJson);
        QVERIFY(errorOf([&] { loadSafetensors(path("array.safetensors")); }).contains(QLatin1String("'{'")));
        QVERIFY(errorOf([&] { loadSyntheticSet(path("missing.safetensors")); }).contains(QLatin1String("file not found")));
        QVERIFY(errorOf([&] { loadSyntheticSet(path("set.pt")); }).contains(QLatin1String("unknown synthetic-set file type")));
    }

    // Issue 16, defect 9: files were written in place, and a failed write left *.partial files behind.
    void aFailedSaveKeepsTheOldFileAndLeavesNothingBehind()
    {
        const QString dir = m_dir.filePath(QStringLiteral("atomic"));
        QVERIFY(QDir().mkpath(dir));
        const SyntheticSet set = makeSet(false);
        // A folder where the file should go: every writer completes its temporary file, then cannot rename it.
        for (const char* name : {"blocked.safetensors", "blocked.npz", "blocked.png"}) {
            const QString target = dir + u'/' + QLatin1String(name);
            QVERIFY(QDir().mkpath(target));
            const QString message = fixtures::errorMessage([&] {
                const std::string path = target.toStdString();
                if (target.endsWith(QLatin1String(".safetensors")))
                    saveSafetensors(set, path);
                else if (target.endsWith(QLatin1String(".npz")))
                    saveNpz(set, path);
                else
                    saveGridPng(set, path);
            });
            QVERIFY2(message.startsWith(target), qPrintable(message));
        }
        QCOMPARE(QDir(dir).entryList(QDir::Files), QStringList());
        // Overwriting an existing file replaces it whole.
        const std::string path = QString(dir + QStringLiteral("/set.safetensors")).toStdString();
        saveSafetensors(set, path);
        SyntheticSet changed = set;
        changed.images.data[0] = 42.0f;
        saveSafetensors(changed, path);
        QCOMPARE(loadSyntheticSet(path).images.data[0], 42.0f);
        QCOMPARE(QDir(dir).entryList(QDir::Files), QStringList({QStringLiteral("set.safetensors")}));
    }

    void inconsistentSetIsRefused()
    {
        SyntheticSet s = makeSet(false);
        s.labels.pop_back();
        QVERIFY(errorOf([&] { saveSafetensors(s, path("bad.safetensors")); }).contains(QLatin1String("5 labels for 6 images")));
        s = makeSet(false);
        s.images.data[3] = std::nanf("");
        QVERIFY(errorOf([&] { checkConsistent(s); }).contains(QLatin1String("NaN")));
    }

    void floatLabelsMustBeWholeNumbers_data()
    {
        QTest::addColumn<float>("label");
        QTest::newRow("NaN") << std::nanf("");
        QTest::newRow("beyond int64") << 1e30f;
        QTest::newRow("fraction") << 2.5f;
    }

    // Hard labels stored as floats (numpy's default) are read, but only whole numbers: casting NaN or 1e30 to an
    // integer is undefined behaviour (the fuzzer's safetensors finding of 2026-11-28).
    void floatLabelsMustBeWholeNumbers()
    {
        QFETCH(float, label);
        saveNpz(makeSet(false), path("float-labels.npz"));
        auto arrays = readNpz(path("float-labels.npz"));
        std::vector<float> labels = {0, 0, 1, 1, 2, 2};
        NpyArray& a = arrays.at("labels");
        a.descr = "<f4";
        a.bytes.resize(labels.size() * sizeof(float));
        std::memcpy(a.bytes.data(), labels.data(), a.bytes.size());
        writeNpz(path("whole.npz"), arrays);
        QCOMPARE(loadSyntheticSet(path("whole.npz")).labels, (std::vector<std::int64_t>{0, 0, 1, 1, 2, 2}));
        labels[4] = label;
        std::memcpy(a.bytes.data(), labels.data(), a.bytes.size());
        writeNpz(path("bad.npz"), arrays);
        const QString error = errorOf([&] { loadSyntheticSet(path("bad.npz")); });
        QVERIFY2(error.contains(QLatin1String("[labels]")) && error.contains(QLatin1String("not a whole number")), qPrintable(error));
    }

    void pngGridAndImageFolder()
    {
        const SyntheticSet set = makeSet(false);
        saveGridPng(set, path("grid.png"), 3);
        QImage grid(m_dir.filePath(QStringLiteral("grid.png")));
        QCOMPARE(grid.height(), 3 * 4 * 3 + 2); // three class rows of 4 px × 3, one-pixel gaps
        QCOMPARE(grid.width(), 2 * 5 * 3 + 1); // two images per class
        saveImageFolder(set, path("folder"));
        QVERIFY(QFile::exists(m_dir.filePath(QStringLiteral("folder/00_T-shirt_top/0_1.png"))));
        QVERIFY(QFile::exists(m_dir.filePath(QStringLiteral("folder/02__n_code_bag/2_0.png"))));
        QVERIFY(QFile::exists(m_dir.filePath(QStringLiteral("folder/classes.txt"))));
        // De-normalised and rounded: pixel = clamp(x·std + mean) · 255.
        QImage first(m_dir.filePath(QStringLiteral("folder/00_T-shirt_top/0_0.png")));
        const int expected = static_cast<int>(std::lround(std::clamp(set.images.data[0] * 0.3530f + 0.2861f, 0.0f, 1.0f) * 255));
        QCOMPARE(qGray(first.pixel(0, 0)), expected);
    }

#ifdef DISTILLERY_PYTHON
    void pythonReadsBothFilesWithoutTorch()
    {
        const SyntheticSet set = makeSet(true);
        saveSafetensors(set, path("py.safetensors"));
        saveNpz(set, path("py.npz"));
        // Only the standard library and numpy: what a user without PyTorch has.
        const QString script = QStringLiteral(R"(
import json, struct, sys
import numpy as np
z = np.load(sys.argv[1])
assert z["images"].shape == (6, 1, 4, 5) and z["images"].dtype == np.float32
assert z["labels"].shape == (6, 3)
assert list(z["class_names"]) == ["T-shirt/top", "Trouser", "Ünïcode bag"], list(z["class_names"])
meta = json.loads(str(z["metadata"]))
assert meta["method"] == "test"
raw = open(sys.argv[2], "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n])
info = header["images"]
images = np.frombuffer(raw[8 + n + info["data_offsets"][0]:8 + n + info["data_offsets"][1]], dtype="<f4").reshape(info["shape"])
assert np.array_equal(images, z["images"])
assert json.loads(header["__metadata__"]["class_names"])[0] == "T-shirt/top"
print("ok")
)");
        QProcess python;
        python.start(QStringLiteral(DISTILLERY_PYTHON),
            {QStringLiteral("-c"), script, QString::fromStdString(path("py.npz")), QString::fromStdString(path("py.safetensors"))});
        QVERIFY(python.waitForFinished(60000));
        const QByteArray err = python.readAllStandardError();
        if (err.contains("No module named 'numpy'"))
            QSKIP("numpy is not installed");
        QVERIFY2(python.exitCode() == 0, err.constData());
        QCOMPARE(python.readAllStandardOutput().trimmed(), QByteArray("ok"));
    }
#endif
};

QTEST_GUILESS_MAIN(TestSyntheticIo)
#include "tst_syntheticio.moc"
