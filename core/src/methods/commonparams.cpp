// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "methods/commonparams.h"

namespace distillery::core::params {
namespace {

    ParamSpec spec(const std::string& key, const std::string& flag, const std::string& label, const std::string& help,
        ParamKind kind)
    {
        ParamSpec s;
        s.key = key;
        s.flag = flag;
        s.label = label;
        s.help = help;
        s.kind = kind;
        return s;
    }

    template<typename T>
    std::function<ParamValue(const ParamContext&)> wrap(std::function<T(const ParamContext&)> f)
    {
        return [f = std::move(f)](const ParamContext& c) { return ParamValue(f(c)); };
    }

    // Generous bounds: they catch typos and absurd values (a learning rate of 1e12 diverges), not taste.
    constexpr double kMaxLearningRate = 1e4;
    constexpr double kMinLearningRate = 1e-8;

} // namespace

ParamSpec init(TextDefault defaultValue)
{
    ParamSpec s = spec("init", "init", "Start from",
        "Start the synthetic images from random real images of each class, or from noise (real images make them "
        "resemble, and possibly reveal, those images)",
        ParamKind::Choice);
    s.choices = {{"real", "Real images"}, {"noise", "Noise"}};
    s.defaultValue = wrap(std::move(defaultValue));
    return s;
}

ParamSpec lrImage(RealDefault defaultValue)
{
    ParamSpec s = spec("lrImage", "lr-image", "Image learning rate",
        "Learning rate of the synthetic pixels (SGD, momentum 0.5)", ParamKind::Real);
    s.flagAliases = {"lr-img"};
    s.min = kMinLearningRate;
    s.max = kMaxLearningRate;
    s.defaultValue = wrap(std::move(defaultValue));
    return s;
}

ParamSpec lrNet(RealDefault defaultValue)
{
    ParamSpec s = spec("lrNet", "lr-net", "Network learning rate",
        "Learning rate of the network trained on the synthetic set between matching steps (SGD)", ParamKind::Real);
    s.min = kMinLearningRate;
    s.max = kMaxLearningRate;
    s.defaultValue = wrap(std::move(defaultValue));
    return s;
}

ParamSpec realBatch(IntDefault defaultValue)
{
    ParamSpec s = spec("realBatch", "real-batch", "Real images per step",
        "Real images per class in each matching step", ParamKind::Integer);
    s.unit = "images per class";
    s.min = 1;
    s.max = 100000;
    s.defaultValue = wrap(std::move(defaultValue));
    return s;
}

ParamSpec outerLoops(IntDefault defaultValue)
{
    ParamSpec s = spec("outerLoops", "outer-loops", "Outer loops",
        "Matching steps per iteration, each followed by training the network on the synthetic set",
        ParamKind::Integer);
    s.flagAliases = {"outer"};
    s.unit = "steps";
    s.min = 1;
    s.max = 10000;
    s.defaultValue = wrap(std::move(defaultValue));
    return s;
}

ParamSpec innerLoops(IntDefault defaultValue)
{
    ParamSpec s = spec("innerLoops", "inner-loops", "Inner epochs",
        "Epochs the network trains on the synthetic set after each matching step", ParamKind::Integer);
    s.flagAliases = {"inner"};
    s.unit = "epochs";
    s.min = 1;
    s.max = 10000;
    s.defaultValue = wrap(std::move(defaultValue));
    return s;
}

ParamSpec augment(bool dataStrategyByDefault)
{
    ParamSpec s = spec("augment", "augment", "Augmentation",
        "Differentiable Siamese augmentation while distilling: the same random transform for real and synthetic "
        "images (\"none\", or DSA groups joined by _)",
        ParamKind::Augmentation);
    s.choices = {{"none", "None"}, {"color_crop_cutout_flip_scale_rotate", "DSA with flips"},
        {"color_crop_cutout_scale_rotate", "DSA without flips"}};
    if (dataStrategyByDefault) {
        s.defaultValue = [](const ParamContext& c) { return ParamValue(c.dsaStrategy); };
        s.defaultNote = "the data set's DSA strategy (flips unless the classes are numerals: data.flips)";
    } else {
        s.defaultValue = [](const ParamContext&) { return ParamValue(std::string("none")); };
    }
    return s;
}

ParamSpec features(TextDefault defaultValue)
{
    ParamSpec s = spec("features", "features", "Feature space",
        "Where images are compared: raw pixels, or the embedding of a ConvNet trained on the real training set",
        ParamKind::Choice);
    s.choices = {{"pixels", "Pixels"}, {"convnet", "Trained ConvNet"}};
    s.defaultValue = wrap(std::move(defaultValue));
    return s;
}

ParamSpec featureEpochs(IntDefault defaultValue)
{
    ParamSpec s = spec("featureEpochs", "feature-epochs", "Feature network epochs",
        "Epochs to train the feature ConvNet on the real training set (with features = convnet)", ParamKind::Integer);
    s.unit = "epochs";
    s.min = 1;
    s.max = 10000;
    s.defaultValue = wrap(std::move(defaultValue));
    return s;
}

ParamSpec ownInteger(const std::string& key, const std::string& flag, const std::string& label, const std::string& help,
    const std::string& unit, double min, double max, IntDefault defaultValue)
{
    ParamSpec s = spec(key, flag, label, help, ParamKind::Integer);
    s.unit = unit;
    s.min = min;
    s.max = max;
    s.defaultValue = wrap(std::move(defaultValue));
    return s;
}

ParamSpec ownReal(const std::string& key, const std::string& flag, const std::string& label, const std::string& help,
    double min, double max, RealDefault defaultValue)
{
    ParamSpec s = spec(key, flag, label, help, ParamKind::Real);
    s.min = min;
    s.max = max;
    s.defaultValue = wrap(std::move(defaultValue));
    return s;
}

ParamSpec ownChoice(const std::string& key, const std::string& flag, const std::string& label, const std::string& help,
    std::vector<ParamChoice> choices, TextDefault defaultValue)
{
    ParamSpec s = spec(key, flag, label, help, ParamKind::Choice);
    s.choices = std::move(choices);
    s.defaultValue = wrap(std::move(defaultValue));
    return s;
}

ParamSpec labels()
{
    ParamSpec s = spec("labels", "labels", "Labels",
        "hard: each image keeps its class; learned: a label distribution per image is learned with the pixels "
        "(exported as probabilities; evaluated both ways, since a learned label can carry much of the gain)",
        ParamKind::Choice);
    s.choices = {{"hard", "Hard (one class)"}, {"learned", "Learned soft labels"}};
    s.defaultValue = [](const ParamContext&) { return ParamValue(std::string("hard")); };
    return s;
}

ParamSpec lrLabel(RealDefault defaultValue)
{
    ParamSpec s = spec("lrLabel", "lr-label", "Label learning rate",
        "Learning rate of the label logits when labels are learned (SGD, momentum 0.9)", ParamKind::Real);
    s.min = kMinLearningRate;
    s.max = kMaxLearningRate;
    s.defaultValue = wrap(std::move(defaultValue));
    return s;
}

} // namespace distillery::core::params
