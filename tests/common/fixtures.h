// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Tiny generated data sets in every format Distillery reads. Nothing is downloaded; everything is seeded.
#pragma once

#include <distillery/config.h>
#include <distillery/session.h>

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <vector>

namespace fixtures {

/// Separable toy images: class c has a bright block at its own position on a dark, noisy background.
/// Labels cycle 0, 1, …, K−1, 0, … so classes are interleaved like real files.
struct ToyImages
{
    int count = 0;
    int channels = 1;
    int size = 16;
    std::vector<std::uint8_t> pixels; ///< N×C×H×W, planar
    std::vector<std::uint8_t> labels;

    const std::uint8_t* image(int i) const { return pixels.data() + static_cast<std::size_t>(i) * channels * size * size; }
};

ToyImages makeToyImages(int classes, int perClass, int size, int channels, std::uint32_t seed);

QByteArray gzip(const QByteArray& data);
void writeFile(const QString& path, const QByteArray& data);
/// The whole file, or empty when it cannot be read.
QByteArray readFile(const QString& path);

/// An IDX file: magic 00 00 08 <dims>, big-endian dimension sizes, then the payload.
QByteArray idxBytes(const std::vector<std::uint32_t>& dims, const std::vector<std::uint8_t>& payload);

/// train-/t10k- images and labels in `dir`, gzipped or plain. Returns the data source "idx:<dir>".
QString writeIdx(const QString& dir, const ToyImages& train, const ToyImages& test, bool gzipped = true);

/// A ready toy IDX data set (K classes, 16×16 grey) in `dir`: the usual fixture of method tests.
QString writeToyIdxDataset(const QString& dir, int classes = 3, int trainPerClass = 24, int testPerClass = 10);

/// data_batch_1…5.bin (train split over them) and test_batch.bin, 3×32×32. Returns "cifar10:<dir>".
QString writeCifar10(const QString& dir, const ToyImages& train, const ToyImages& test);

/// One sub-folder per class name with PNGs (grey or RGB as the images are). Returns "folder:<dir>".
QString writeImageFolder(const QString& dir, const ToyImages& images, const QStringList& classNames);

/// A MedMNIST-style npz: {train,val,test}_images N×H×W (grey) or N×H×W×3 (RGB), labels N×labelColumns uint8.
/// The val split is `val` when given, else a copy of the test images.
void writeMedMnist(const QString& path, const ToyImages& train, const ToyImages& test, int labelColumns = 1,
    const ToyImages* val = nullptr);

/// A DICOM part 10 file (explicit VR little endian, MONOCHROME2, 16 bits allocated, 12 stored) of rows × columns
/// pixels, written byte by byte as PS3.10 lays it out (no DICOM library needed).
QByteArray dicomBytes(int rows, int columns, const std::vector<std::uint16_t>& pixels);

/// Images [from, to) of `images`, in order.
ToyImages sliceImages(const ToyImages& images, int from, int to);

/// The message of the core::Error that `fn` throws, or an empty string when it throws none.
QString errorMessage(const std::function<void()>& fn);

/// A classroom run sized for tests: a width-8, depth-2 ConvNet on the CPU, 4 real images per step, and a
/// one-model, 5-epoch evaluation. Callers change what their test is about.
distillery::core::RunConfig tinyRun(const std::string& source, const std::string& method, int ipc, int iterations);

/// Runs `session` and stops it cleanly once iteration `stopAfter` is done (as Ctrl-C or the Stop button would).
distillery::core::RunResult runStoppingAfter(distillery::core::Session& session, int stopAfter);

} // namespace fixtures
