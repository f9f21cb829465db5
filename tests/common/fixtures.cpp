// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtures.h"

#include <distillery/error.h>
#include <distillery/methods.h>
#include <distillery/npz.h>
#include <distillery/parameters.h>
#include <distillery/runcontrol.h>

#include <QDir>
#include <QFile>
#include <QImage>

#include <zlib.h>

#include <random>
#include <stdexcept>

namespace fixtures {

ToyImages makeToyImages(int classes, int perClass, int size, int channels, std::uint32_t seed)
{
    ToyImages t;
    t.count = classes * perClass;
    t.channels = channels;
    t.size = size;
    t.pixels.resize(static_cast<std::size_t>(t.count) * channels * size * size);
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> noise(0, 40);
    const int block = size / 4;
    for (int i = 0; i < t.count; ++i) {
        const int label = i % classes;
        t.labels.push_back(static_cast<std::uint8_t>(label));
        // Block positions walk along the diagonal band, one per class.
        const int top = (label * size / classes) % (size - block);
        const int left = (label * 7 * size / (3 * classes) + label) % (size - block);
        for (int c = 0; c < channels; ++c)
            for (int y = 0; y < size; ++y)
                for (int x = 0; x < size; ++x) {
                    const bool inBlock = y >= top && y < top + block && x >= left && x < left + block;
                    const int value = (inBlock ? 200 : 20) + noise(rng) + (channels == 3 ? 10 * c * (label % 2) : 0);
                    t.pixels[((static_cast<std::size_t>(i) * channels + c) * size + y) * size + x]
                        = static_cast<std::uint8_t>(std::min(value, 255));
                }
    }
    return t;
}

QByteArray gzip(const QByteArray& data)
{
    z_stream stream{};
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    QByteArray out(static_cast<int>(deflateBound(&stream, static_cast<uLong>(data.size()))) + 32, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(static_cast<int>(stream.total_out));
    deflateEnd(&stream);
    return out;
}

void writeFile(const QString& path, const QByteArray& data)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(data) != data.size())
        throw std::runtime_error("cannot write fixture " + path.toStdString());
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QByteArray idxBytes(const std::vector<std::uint32_t>& dims, const std::vector<std::uint8_t>& payload)
{
    QByteArray bytes;
    bytes.append('\0').append('\0').append('\x08').append(static_cast<char>(dims.size()));
    for (auto d : dims)
        for (int shift = 24; shift >= 0; shift -= 8)
            bytes.append(static_cast<char>((d >> shift) & 0xFF));
    bytes.append(reinterpret_cast<const char*>(payload.data()), static_cast<int>(payload.size()));
    return bytes;
}

QString writeIdx(const QString& dir, const ToyImages& train, const ToyImages& test, bool gzipped)
{
    QDir().mkpath(dir);
    auto write = [&](const QString& name, const QByteArray& bytes) {
        writeFile(dir + u'/' + name + (gzipped ? QStringLiteral(".gz") : QString()), gzipped ? gzip(bytes) : bytes);
    };
    const auto s = static_cast<std::uint32_t>(train.size);
    write(QStringLiteral("train-images-idx3-ubyte"), idxBytes({static_cast<std::uint32_t>(train.count), s, s}, train.pixels));
    write(QStringLiteral("train-labels-idx1-ubyte"), idxBytes({static_cast<std::uint32_t>(train.count)}, train.labels));
    write(QStringLiteral("t10k-images-idx3-ubyte"), idxBytes({static_cast<std::uint32_t>(test.count), s, s}, test.pixels));
    write(QStringLiteral("t10k-labels-idx1-ubyte"), idxBytes({static_cast<std::uint32_t>(test.count)}, test.labels));
    return QStringLiteral("idx:") + dir;
}

QString writeToyIdxDataset(const QString& dir, int classes, int trainPerClass, int testPerClass)
{
    return writeIdx(dir, makeToyImages(classes, trainPerClass, 16, 1, 1), makeToyImages(classes, testPerClass, 16, 1, 2));
}

QString writeCifar10(const QString& dir, const ToyImages& train, const ToyImages& test)
{
    QDir().mkpath(dir);
    auto records = [](const ToyImages& images, int from, int to) {
        QByteArray bytes;
        for (int i = from; i < to; ++i) {
            bytes.append(static_cast<char>(images.labels[static_cast<std::size_t>(i)]));
            bytes.append(reinterpret_cast<const char*>(images.image(i)), 3 * 32 * 32);
        }
        return bytes;
    };
    for (int b = 0; b < 5; ++b)
        writeFile(dir + QStringLiteral("/data_batch_%1.bin").arg(b + 1), records(train, train.count * b / 5, train.count * (b + 1) / 5));
    writeFile(dir + QStringLiteral("/test_batch.bin"), records(test, 0, test.count));
    writeFile(dir + QStringLiteral("/batches.meta.txt"),
        QByteArrayLiteral("airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n"));
    return QStringLiteral("cifar10:") + dir;
}

QString writeImageFolder(const QString& dir, const ToyImages& images, const QStringList& classNames)
{
    for (const auto& name : classNames)
        QDir().mkpath(dir + u'/' + name);
    std::vector<int> counter(static_cast<std::size_t>(classNames.size()), 0);
    const int s = images.size;
    for (int i = 0; i < images.count; ++i) {
        const int label = images.labels[static_cast<std::size_t>(i)];
        QImage image(s, s, images.channels == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8);
        for (int y = 0; y < s; ++y)
            for (int x = 0; x < s; ++x)
                for (int c = 0; c < images.channels; ++c)
                    image.scanLine(y)[x * images.channels + c] = images.image(i)[(c * s + y) * s + x];
        const QString path = dir + u'/' + classNames[label] + QStringLiteral("/img_%1.png").arg(counter[label]++, 3, 10, QLatin1Char('0'));
        if (!image.save(path))
            throw std::runtime_error("cannot write " + path.toStdString());
    }
    return QStringLiteral("folder:") + dir;
}

namespace {

    /// One explicit-VR little-endian element; the value padded to an even length (UIDs with NUL, text with space).
    QByteArray dicomElement(std::uint16_t group, std::uint16_t element, const char* vr, QByteArray value)
    {
        const QByteArray v(vr);
        if (value.size() % 2)
            value.append(v == "UI" || v == "OB" || v == "OW" ? '\0' : ' ');
        auto le = [](QByteArray& out, std::uint32_t x, int bytes) {
            for (int i = 0; i < bytes; ++i)
                out.append(static_cast<char>((x >> (8 * i)) & 0xFF));
        };
        QByteArray out;
        le(out, group, 2);
        le(out, element, 2);
        out.append(v);
        if (v == "OB" || v == "OW" || v == "SQ" || v == "UN" || v == "UT") {
            le(out, 0, 2);
            le(out, static_cast<std::uint32_t>(value.size()), 4);
        } else {
            le(out, static_cast<std::uint32_t>(value.size()), 2);
        }
        return out + value;
    }

    QByteArray us(std::uint16_t x)
    {
        return QByteArray(1, static_cast<char>(x & 0xFF)) + QByteArray(1, static_cast<char>(x >> 8));
    }

} // namespace

QByteArray dicomBytes(int rows, int columns, const std::vector<std::uint16_t>& pixels)
{
    const QByteArray sopClass("1.2.840.10008.5.1.4.1.1.7"); // secondary capture
    const QByteArray instance("1.2.826.0.1.3680043.2.1143.1");
    QByteArray meta = dicomElement(0x0002, 0x0001, "OB", QByteArray("\0\1", 2)) + dicomElement(0x0002, 0x0002, "UI", sopClass)
        + dicomElement(0x0002, 0x0003, "UI", instance) + dicomElement(0x0002, 0x0010, "UI", "1.2.840.10008.1.2.1");
    QByteArray groupLength;
    for (int i = 0; i < 4; ++i)
        groupLength.append(static_cast<char>((meta.size() >> (8 * i)) & 0xFF));
    meta.prepend(dicomElement(0x0002, 0x0000, "UL", groupLength));
    QByteArray pixelBytes;
    for (auto p : pixels)
        pixelBytes += us(p);
    const QByteArray data = dicomElement(0x0008, 0x0016, "UI", sopClass) + dicomElement(0x0008, 0x0018, "UI", instance)
        + dicomElement(0x0028, 0x0002, "US", us(1)) + dicomElement(0x0028, 0x0004, "CS", "MONOCHROME2")
        + dicomElement(0x0028, 0x0010, "US", us(static_cast<std::uint16_t>(rows)))
        + dicomElement(0x0028, 0x0011, "US", us(static_cast<std::uint16_t>(columns)))
        + dicomElement(0x0028, 0x0100, "US", us(16)) + dicomElement(0x0028, 0x0101, "US", us(12))
        + dicomElement(0x0028, 0x0102, "US", us(11)) + dicomElement(0x0028, 0x0103, "US", us(0))
        + dicomElement(0x7FE0, 0x0010, "OW", pixelBytes);
    return QByteArray(128, '\0') + QByteArray("DICM") + meta + data;
}

ToyImages sliceImages(const ToyImages& images, int from, int to)
{
    ToyImages out = images;
    const std::size_t imageSize = static_cast<std::size_t>(images.channels) * images.size * images.size;
    out.count = to - from;
    out.pixels.assign(images.pixels.begin() + static_cast<std::ptrdiff_t>(from * imageSize),
        images.pixels.begin() + static_cast<std::ptrdiff_t>(to * imageSize));
    out.labels.assign(images.labels.begin() + from, images.labels.begin() + to);
    return out;
}

void writeMedMnist(const QString& path, const ToyImages& train, const ToyImages& test, int labelColumns,
    const ToyImages* val)
{
    using distillery::core::NpyArray;
    auto imagesArray = [](const ToyImages& t) {
        NpyArray a;
        a.descr = "|u1";
        const int s = t.size;
        if (t.channels == 1) {
            a.shape = {t.count, s, s};
            a.bytes = t.pixels;
        } else { // MedMNIST stores RGB as N×H×W×3
            a.shape = {t.count, s, s, 3};
            a.bytes.resize(t.pixels.size());
            for (int i = 0; i < t.count; ++i)
                for (int c = 0; c < 3; ++c)
                    for (int p = 0; p < s * s; ++p)
                        a.bytes[(static_cast<std::size_t>(i) * s * s + p) * 3 + c] = t.image(i)[c * s * s + p];
        }
        return a;
    };
    auto labelsArray = [labelColumns](const ToyImages& t) {
        NpyArray a;
        a.descr = "|u1";
        a.shape = {t.count, labelColumns};
        for (int i = 0; i < t.count; ++i)
            for (int k = 0; k < labelColumns; ++k)
                a.bytes.push_back(labelColumns == 1 ? t.labels[static_cast<std::size_t>(i)] : static_cast<std::uint8_t>((i + k) % 2));
        return a;
    };
    distillery::core::writeNpz(path.toStdString(),
        {{"train_images", imagesArray(train)}, {"train_labels", labelsArray(train)},
            {"val_images", imagesArray(val ? *val : test)}, {"val_labels", labelsArray(val ? *val : test)},
            {"test_images", imagesArray(test)}, {"test_labels", labelsArray(test)}});
}

QString errorMessage(const std::function<void()>& fn)
{
    try {
        fn();
    } catch (const distillery::core::Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

distillery::core::RunConfig tinyRun(const std::string& source, const std::string& method, int ipc, int iterations)
{
    distillery::core::RunConfig c;
    distillery::core::applyPreset(c, "classroom");
    c.method = method;
    c.ipc = ipc;
    c.iterations = iterations;
    c.device = "cpu";
    c.data.source = source;
    c.model.width = 8;
    c.model.depth = 2;
    // A few real images per step for the methods that draw real batches (coresets declare no such parameter).
    if (distillery::core::findParam(distillery::core::methodParameters(method), "realBatch"))
        c.params.set("realBatch", std::int64_t(4));
    c.eval.models = 1;
    c.eval.epochs = 5;
    return c;
}

distillery::core::RunResult runStoppingAfter(distillery::core::Session& session, int stopAfter)
{
    distillery::core::RunControl control;
    distillery::core::SessionCallbacks callbacks;
    callbacks.onStep = [&](const distillery::core::StepStats& s) {
        if (s.iteration == stopAfter)
            control.requestStop();
    };
    return session.run(control, callbacks);
}

} // namespace fixtures
