// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// MedMNIST .npz archives (docs/formats.md §6).
#include "data/rawdataset.h"

#include <distillery/error.h>
#include <distillery/npz.h>

#include <cctype>
#include <filesystem>
#include <regex>

namespace distillery::core {
namespace {

    /// Class names of the 2D single-label subsets, in label order (MedMNIST `info.py`).
    const std::map<std::string, std::vector<std::string>>& knownClassNames()
    {
        static const std::map<std::string, std::vector<std::string>> kNames = {
            {"pathmnist",
                {"adipose", "background", "debris", "lymphocytes", "mucus", "smooth muscle", "normal colon mucosa",
                    "cancer-associated stroma", "colorectal adenocarcinoma epithelium"}},
            {"dermamnist",
                {"actinic keratoses and intraepithelial carcinoma", "basal cell carcinoma",
                    "benign keratosis-like lesions", "dermatofibroma", "melanoma", "melanocytic nevi",
                    "vascular lesions"}},
            {"octmnist", {"choroidal neovascularization", "diabetic macular edema", "drusen", "normal"}},
            {"pneumoniamnist", {"normal", "pneumonia"}},
            {"retinamnist", {"grade 0", "grade 1", "grade 2", "grade 3", "grade 4"}},
            {"breastmnist", {"malignant", "normal/benign"}},
            {"bloodmnist",
                {"basophil", "eosinophil", "erythroblast", "immature granulocytes", "lymphocyte", "monocyte",
                    "neutrophil", "platelet"}},
            {"tissuemnist",
                {"collecting duct/connecting tubule", "distal convoluted tubule", "glomerular endothelial cells",
                    "interstitial endothelial cells", "leukocytes", "podocytes", "proximal tubule segments",
                    "thick ascending limb"}},
            {"organamnist",
                {"bladder", "femur-left", "femur-right", "heart", "kidney-left", "kidney-right", "liver", "lung-left",
                    "lung-right", "pancreas", "spleen"}},
        };
        return kNames;
    }

    /// "pneumoniamnist_64.npz" → "pneumoniamnist"
    std::string flagOf(const std::string& file)
    {
        std::string stem = std::filesystem::path(file).stem().string();
        std::transform(stem.begin(), stem.end(), stem.begin(), [](unsigned char ch) { return std::tolower(ch); });
        return std::regex_replace(stem, std::regex(R"(_\d+$)"), "");
    }

    RawSplit toSplit(const NpyArray& images, const NpyArray& labels, const std::string& file, const std::string& split)
    {
        const std::string where = file + " [" + split + "_images]";
        if (images.descr != "|u1")
            throw Error(where + ": expected uint8 images, found dtype " + images.descr);
        const auto& s = images.shape;
        if (s.size() >= 3 && (s[1] == 0 || s[2] == 0))
            throw Error(where + ": images of size zero");
        torch::Tensor pixels = torch::from_blob(const_cast<std::uint8_t*>(images.bytes.data()),
            {images.elementCount()}, torch::kUInt8);
        torch::Tensor nchw;
        if (s.size() == 3) {
            nchw = pixels.view({s[0], 1, s[1], s[2]}).clone();
        } else if (s.size() == 4 && s[3] == 3) {
            nchw = pixels.view({s[0], s[1], s[2], 3}).permute({0, 3, 1, 2}).contiguous(); // HWC → CHW
        } else if (s.size() == 4) {
            throw Error(where + ": 3D volumes (" + std::to_string(s[1]) + "×" + std::to_string(s[2]) + "×"
                + std::to_string(s[3]) + ") are not supported; use a 2D MedMNIST subset");
        } else {
            throw Error(where + ": unexpected image shape of rank " + std::to_string(s.size()));
        }

        const std::string labelWhere = file + " [" + split + "_labels]";
        if (labels.shape.empty() || labels.shape[0] != s[0])
            throw Error(labelWhere + ": " + (labels.shape.empty() ? "0" : std::to_string(labels.shape[0]))
                + " labels for " + std::to_string(s[0]) + " images");
        if (labels.shape.size() == 2 && labels.shape[1] > 1)
            throw Error(file + ": multi-label archive (" + std::to_string(labels.shape[1])
                + " labels per image, e.g. ChestMNIST) is not supported for single-label distillation; "
                  "pick one finding as a binary task first");
        if (labels.elementCount() != s[0])
            throw Error(labelWhere + ": " + std::to_string(labels.elementCount()) + " labels in all for "
                + std::to_string(s[0]) + " images (expected one label per image)");
        static const std::map<std::string, torch::ScalarType> kIntTypes = {{"|u1", torch::kUInt8},
            {"|i1", torch::kInt8}, {"<i2", torch::kInt16}, {"<i4", torch::kInt32}, {"<i8", torch::kInt64}};
        const auto type = kIntTypes.find(labels.descr);
        if (type == kIntTypes.end())
            throw Error(labelWhere + ": expected integer labels, found dtype " + labels.descr);
        RawSplit out;
        out.images = nchw;
        // clone() first: with int64 labels to() would return the view of the archive's buffer, freed on return.
        out.labels = torch::from_blob(const_cast<std::uint8_t*>(labels.bytes.data()), {s[0]}, type->second)
                         .clone()
                         .to(torch::kInt64);
        out.labelsFile = labelWhere;
        return out;
    }

} // namespace

RawDataset readMedMnist(const std::string& file)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw Error(file + ": file not found");
    const auto arrays = readNpz(file);
    for (const char* key : {"train_images", "train_labels", "test_images", "test_labels"})
        if (!arrays.count(key))
            throw Error(file + ": no array '" + key + "' in the archive");

    RawDataset raw;
    const std::string flag = flagOf(file);
    raw.name = flag.empty() ? "MedMNIST" : flag;
    raw.source = "medmnist:" + file;
    raw.train = toSplit(arrays.at("train_images"), arrays.at("train_labels"), file, "train");
    raw.test = toSplit(arrays.at("test_images"), arrays.at("test_labels"), file, "test");
    // MedMNIST's validation split is real training data of the same patients' distribution: distillation reads
    // all of it (the test split stays the held-out one). Nothing here selects on validation data.
    if (arrays.count("val_images") || arrays.count("val_labels")) {
        if (!arrays.count("val_images") || !arrays.count("val_labels"))
            throw Error(file + ": has " + (arrays.count("val_images") ? "val_images" : "val_labels") + " without "
                + (arrays.count("val_images") ? "val_labels" : "val_images"));
        const RawSplit val = toSplit(arrays.at("val_images"), arrays.at("val_labels"), file, "val");
        if (val.size() > 0) {
            if (val.images.sizes().slice(1) != raw.train.images.sizes().slice(1))
                throw Error(file + " [val_images]: shaped differently from train_images");
            raw.notes.push_back(std::to_string(val.size()) + " val_images joined the " + std::to_string(raw.train.size())
                + " train_images for distillation (the test split stays held out)");
            raw.train.images = torch::cat({raw.train.images, val.images});
            raw.train.labels = torch::cat({raw.train.labels, val.labels});
        }
    }

    const auto known = knownClassNames().find(flag == "organcmnist" || flag == "organsmnist" ? "organamnist" : flag);
    const std::int64_t classes = classCountFromLabels(raw); // bounded by the data, refused before any allocation
    if (known != knownClassNames().end() && static_cast<std::int64_t>(known->second.size()) >= classes) {
        raw.classNames = known->second;
    } else {
        for (std::int64_t c = 0; c < classes; ++c)
            raw.classNames.push_back(std::to_string(c));
    }
    return raw; // no reference constants for MedMNIST: normalisation is computed on train_images
}

} // namespace distillery::core
