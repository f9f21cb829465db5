// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// distillery: the desktop window (thin main: options, application identity, one MainWindow).
#include "commandline.h"

#include "widgets/mainwindow.h"

#include <distillery/device.h>
#include <distillery/error.h>

#include <QApplication>
#include <QIcon>
#include <QMessageBox>
#include <QTextStream>

int main(int argc, char** argv)
{
    distillery::core::useShortThreadSpin(argv); // may start the program again; before anything else
    distillery::core::tuneAllocatorForTensors(); // before QApplication starts any thread
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Distillery"));
    QApplication::setApplicationName(QStringLiteral("Distillery"));
    QApplication::setApplicationVersion(QStringLiteral(DISTILLERY_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral(DISTILLERY_APP_ID));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral(DISTILLERY_APP_ID), QIcon(QStringLiteral(":/icons/distillery.svg"))));

    const distillery::app::GuiOptions options = distillery::app::parseGuiOptions(QApplication::arguments());
    if (!options.error.isEmpty()) {
        QTextStream(stderr) << "distillery: " << options.error << Qt::endl;
        return 2;
    }

    distillery::ui::MainWindow window;
    distillery::core::RunConfig config = window.config();
    try {
        distillery::app::applyGuiOptions(options, config);
    } catch (const distillery::core::Error& e) {
        QTextStream(stderr) << "distillery: " << QString::fromStdString(e.what()) << Qt::endl;
        return 2;
    }
    window.setConfig(config);
    if (options.zoom > 0)
        window.setZoom(options.zoom);
    window.resize(options.windowSize.isValid() ? options.windowSize : QSize(1500, 950));
    window.show();
    if (options.presentation)
        window.setPresentationMode(true);

    distillery::ui::MainWindow::Automation automation;
    automation.resume = options.resume;
    automation.autostart = options.resume.isEmpty() && (options.autostart || options.quitAfterIterations > 0);
    automation.quitAfterIterations = options.quitAfterIterations;
    automation.screenshot = options.screenshot;
    automation.quitWhenStopped = options.quitAfterIterations > 0 || !options.screenshot.isEmpty();
    window.setAutomation(automation);
    const int code = QApplication::exec();
    return window.automationFailed() ? 1 : code; // a script sees a failed run in the exit code
}
