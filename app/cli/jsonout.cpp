// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonout.h"

#include <iostream>

namespace distillery::cli {

nlohmann::json toJson(const core::EvalResult& r)
{
    return {{"subject", r.subject}, {"iteration", r.iteration}, {"mean", r.mean}, {"std", r.std},
        {"accuracies", r.accuracies}, {"models", r.accuracies.size()}, {"epochs", r.epochs}, {"augment", r.augment},
        {"model", r.model}, {"labels", r.labels}, {"learned_lr", r.learnedLr}, {"train_images", r.trainImages}, {"test_images", r.testImages}, {"seconds", r.seconds},
        {"summary", r.summary()}};
}

nlohmann::json toJson(const core::DatasetInfo& info)
{
    return {{"name", info.name}, {"source", info.source}, {"channels", info.channels}, {"height", info.height},
        {"width", info.width}, {"classes", info.classNames}, {"train_per_class", info.trainPerClass},
        {"test_per_class", info.testPerClass}, {"mean", info.mean}, {"std", info.std},
        {"dsa_strategy", info.dsaStrategy}, {"fingerprint", info.fingerprint}};
}

void printJson(const nlohmann::json& value)
{
    std::cout << value.dump() << std::endl;
}

} // namespace distillery::cli
