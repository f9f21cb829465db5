// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"
#include "jsonout.h"

#include <distillery/datasets.h>
#include <distillery/device.h>
#include <distillery/methods.h>
#include <distillery/models.h>
#include <distillery/parameters.h>
#include <distillery/version.h>

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

namespace distillery::cli {
namespace {

    struct InfoOptions
    {
        std::string dataset;
        bool json = false;
        bool parametersMarkdown = false;
    };

    nlohmann::json paramJson(const core::ParamSpec& spec)
    {
        nlohmann::json out{{"key", spec.key}, {"flag", "--" + spec.flag}, {"label", spec.label}, {"help", spec.help},
            {"kind", core::paramKindName(spec.kind)}, {"unit", spec.unit}, {"resumable", spec.resumable}};
        out["aliases"] = nlohmann::json::array();
        for (const auto& alias : spec.flagAliases)
            out["aliases"].push_back("--" + alias);
        if (spec.kind == core::ParamKind::Integer || spec.kind == core::ParamKind::Real) {
            out["min"] = spec.min;
            out["max"] = spec.max;
        } else {
            for (const auto& c : spec.choices)
                out["choices"].push_back({{"value", c.value}, {"label", c.label}});
        }
        if (!spec.defaultNote.empty())
            out["default_note"] = spec.defaultNote;
        for (const auto& d : core::paramDefaults(spec))
            out["defaults"].push_back({{"preset", d.preset}, {"ipc", d.ipc}, {"value", d.value}});
        return out;
    }

    void runInfo(const InfoOptions& o)
    {
        if (o.parametersMarkdown) {
            std::cout << core::parameterReferenceMarkdown() << std::flush;
            return;
        }
        nlohmann::json out;
        out["distillery"] = core::version();
        out["libtorch"] = core::torchVersion();
        out["features"] = core::buildFeatures();
        out["cuda_available"] = core::cudaAvailable();
        out["threads"] = core::threadCount();
        for (const auto& d : core::availableDevices())
            out["devices"].push_back({{"id", d.id}, {"description", d.description}});
        out["datasets_found"] = core::discoverDatasets();
        for (const auto& m : core::availableMethods()) {
            nlohmann::json method{{"name", m.name}, {"title", m.title}, {"summary", m.summary}};
            method["parameters"] = nlohmann::json::array();
            for (const auto& spec : core::methodParameters(m.name))
                method["parameters"].push_back(paramJson(spec));
            out["methods"].push_back(method);
        }

        std::unique_ptr<core::DatasetInfo> info;
        if (!o.dataset.empty()) {
            core::DataConfig data;
            data.source = o.dataset;
            info = std::make_unique<core::DatasetInfo>(core::inspectDataset(data));
            out["dataset"] = toJson(*info);
        }
        if (o.json) {
            printJson(out);
            return;
        }
        std::cout << "Distillery " << core::version() << " (LibTorch " << core::torchVersion() << ")\n"
                  << "Build: " << core::buildFeatures() << "\n"
                  << "CUDA available: " << (core::cudaAvailable() ? "yes" : "no") << "\n"
                  << "Devices:\n";
        for (const auto& d : core::availableDevices())
            std::cout << "  " << d.id << "  " << d.description << "\n";
        std::cout << "Data sets found:\n";
        const auto found = core::discoverDatasets();
        if (found.empty())
            std::cout << "  none (install the Debian package dataset-fashion-mnist, or pass --dataset)\n";
        for (const auto& f : found)
            std::cout << "  " << f << "\n";
        std::cout << "Methods:\n";
        for (const auto& m : core::availableMethods())
            std::cout << "  " << m.name << "  " << m.title << "\n";
        if (info) {
            std::cout << "Data set " << info->name << " (" << info->source << "): " << info->trainCount() << " train / "
                      << info->testCount() << " test images, " << info->channels << "x" << info->height << "x"
                      << info->width << ", " << info->classNames.size() << " classes, fingerprint " << info->fingerprint
                      << "\n";
            for (std::size_t c = 0; c < info->classNames.size(); ++c)
                std::cout << "  " << c << "  " << info->classNames[c] << "  (" << info->trainPerClass[c] << " train, "
                          << info->testPerClass[c] << " test)\n";
            const auto model = core::describeModel({}, info->channels, info->height, info->width,
                static_cast<int>(info->classNames.size()));
            std::cout << "Reference " << model.description << ": " << model.parameters << " parameters, "
                      << model.featureDim << "-d features\n";
        }
        std::cout << std::flush;
    }

} // namespace

void addInfoCommand(CLI::App& app)
{
    auto options = std::make_shared<InfoOptions>();
    CLI::App* cmd = app.add_subcommand("info", "Versions, CUDA devices, data sets and methods this build has");
    cmd->add_option("--dataset", options->dataset,
        "Also read and describe this data set (fashion-mnist, idx:<dir>, cifar10:<dir>, cifar100:<dir>, "
        "folder:<dir>, medmnist:<file.npz>)");
    cmd->add_flag("--json", options->json, "Print one JSON object on stdout (methods with their parameters)");
    cmd->add_flag("--parameters-markdown", options->parametersMarkdown,
        "Print the reference of every method's parameters (docs/parameters.md) as Markdown");
    cmd->callback([options] { runInfo(*options); });
}

} // namespace distillery::cli
