// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "commandline.h"

#include <distillery/error.h>
#include <distillery/methods.h>
#include <distillery/request.h>

#include <QCommandLineParser>
#include <QCoreApplication>

namespace distillery::app {

GuiOptions parseGuiOptions(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("main", "Distillery: watch dataset distillation happen."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataset(QStringLiteral("dataset"),
        QCoreApplication::translate("main", "Data set (fashion-mnist, idx:<dir>, cifar10:<dir>, folder:<dir>, medmnist:<file>)"),
        QStringLiteral("source"));
    QStringList methodNames; // from the registry: a new method needs nothing here
    for (const auto& info : core::availableMethods())
        methodNames << QString::fromStdString(info.name);
    const QCommandLineOption method(QStringLiteral("method"),
        QCoreApplication::translate("main", "Method (%1)").arg(methodNames.join(QStringLiteral(", "))), QStringLiteral("name"));
    const QCommandLineOption ipc(QStringLiteral("ipc"), QCoreApplication::translate("main", "Images per class"), QStringLiteral("n"));
    const QCommandLineOption preset(QStringLiteral("preset"), QCoreApplication::translate("main", "classroom or paper"), QStringLiteral("preset"));
    const QCommandLineOption iterations(QStringLiteral("iterations"), QCoreApplication::translate("main", "Iterations"), QStringLiteral("n"));
    const QCommandLineOption device(QStringLiteral("device"), QCoreApplication::translate("main", "auto, cpu, cuda or cuda:N"), QStringLiteral("device"));
    const QCommandLineOption config(QStringLiteral("config"), QCoreApplication::translate("main", "Load this config.json"), QStringLiteral("file"));
    const QCommandLineOption autostart(QStringLiteral("autostart"), QCoreApplication::translate("main", "Start the run at once"));
    const QCommandLineOption resume(QStringLiteral("resume"),
        QCoreApplication::translate("main", "Continue this run folder from its checkpoint at once"), QStringLiteral("run-folder"));
    const QCommandLineOption quitAfter(QStringLiteral("quit-after-iterations"),
        QCoreApplication::translate("main", "Stop the run after N iterations and quit"), QStringLiteral("n"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QCoreApplication::translate("main", "Save a picture of the window once the run has stopped"), QStringLiteral("file.png"));
    const QCommandLineOption zoom(QStringLiteral("zoom"), QCoreApplication::translate("main", "Pixel size of the images (1–32)"), QStringLiteral("n"));
    const QCommandLineOption presentation(QStringLiteral("presentation"),
        QCoreApplication::translate("main", "Start in presentation mode (large type, the lesson bar instead of the settings)"));
    const QCommandLineOption size(QStringLiteral("window-size"),
        QCoreApplication::translate("main", "Window size, e.g. 1280x720"), QStringLiteral("WxH"));
    parser.addOptions(
        {dataset, method, ipc, preset, iterations, device, config, autostart, resume, quitAfter, screenshot, zoom, presentation, size});
    parser.process(arguments); // --help and --version print and exit here

    GuiOptions o;
    auto number = [&](const QCommandLineOption& option, std::optional<int>& out) {
        if (!parser.isSet(option))
            return;
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        if (!ok || value < 0)
            o.error = QStringLiteral("--%1: \"%2\" is not a non-negative number").arg(option.names().first(), parser.value(option));
        else
            out = value;
    };
    auto text = [&](const QCommandLineOption& option, std::optional<QString>& out) {
        if (parser.isSet(option))
            out = parser.value(option);
    };
    text(dataset, o.dataset);
    text(method, o.method);
    number(ipc, o.ipc);
    text(preset, o.preset);
    number(iterations, o.iterations);
    text(device, o.device);
    text(config, o.config);
    o.autostart = parser.isSet(autostart);
    o.resume = parser.value(resume);
    std::optional<int> quit;
    number(quitAfter, quit);
    o.quitAfterIterations = quit.value_or(0);
    o.screenshot = parser.value(screenshot);
    std::optional<int> z;
    number(zoom, z);
    o.zoom = z.value_or(0);
    o.presentation = parser.isSet(presentation);
    if (parser.isSet(size)) {
        const QStringList parts = parser.value(size).split(QLatin1Char('x'));
        bool okW = false, okH = false;
        const int w = parts.size() == 2 ? parts[0].toInt(&okW) : 0;
        const int h = parts.size() == 2 ? parts[1].toInt(&okH) : 0;
        if (!okW || !okH || w < 320 || h < 240 || w > 16384 || h > 16384)
            o.error = QCoreApplication::translate("main", "--window-size: expected WxH between 320x240 and 16384x16384, got \"%1\"")
                          .arg(parser.value(size));
        else
            o.windowSize = QSize(w, h);
    }
    return o;
}

void applyGuiOptions(const GuiOptions& o, core::RunConfig& config)
{
    if (o.config)
        config = core::loadRunConfig(o.config->toStdString());
    if (o.preset)
        core::applyPreset(config, o.preset->toStdString());
    if (o.dataset)
        config.data.source = o.dataset->toStdString();
    if (o.method && o.method->toStdString() != config.method) {
        config.method = o.method->toStdString();
        // The request's parameters were chosen for the other method (the window's last one, or the config file's):
        // the new method starts from its own defaults, as when it is picked in the panel.
        config.params = {};
    }
    if (o.ipc)
        config.ipc = *o.ipc;
    if (o.iterations)
        config.iterations = *o.iterations;
    if (o.device)
        config.device = o.device->toStdString();
    core::validate(config);
}

} // namespace distillery::app
