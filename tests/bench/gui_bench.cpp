// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The live window under load (issue #4's targets), measured, never asserted in a test:
//   - the largest gap between 10 ms timer ticks on the GUI thread while distilling on the CPU;
//   - resident memory every 1000 iterations over a long classroom run;
//   - iterations per second in the window, to compare with `distillery-cli distill` on the same config.
// Usage: distillery-gui-bench [--method dm] [--ipc 10] [--iterations 2000] [--threads 0] [--evaluate-every 0]
//        [--presentation]
#include "controller/runcontroller.h"
#include "widgets/curvespanel.h"
#include "widgets/mainwindow.h"

#include <distillery/device.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace {

double residentMiB()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toDouble() * 4096.0 / (1024.0 * 1024.0) : 0;
}

/// CPU seconds (user + system) of one thread of this process, from /proc (Linux).
double threadCpuSeconds(long tid)
{
    QFile stat(QStringLiteral("/proc/self/task/%1/stat").arg(tid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = stat.readAll();
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    return fields.size() > 13 ? (fields[11].toDouble() + fields[12].toDouble()) / sysconf(_SC_CLK_TCK) : 0;
}

double processCpuSeconds()
{
    double total = 0;
    const QStringList tasks = QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString& task : tasks)
        total += threadCpuSeconds(task.toLong());
    return total;
}

} // namespace

int main(int argc, char** argv)
{
    distillery::core::tuneAllocatorForTensors(); // as the application's main() does
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true); // never touch the user's settings or runs
    QApplication::setOrganizationName(QStringLiteral("DistilleryBench"));
    QApplication::setApplicationName(QStringLiteral("gui-bench"));

    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption method(QStringLiteral("method"), QStringLiteral("method"), QStringLiteral("name"), QStringLiteral("dm"));
    const QCommandLineOption ipc(QStringLiteral("ipc"), QStringLiteral("images per class"), QStringLiteral("n"), QStringLiteral("10"));
    const QCommandLineOption iterations(QStringLiteral("iterations"), QStringLiteral("iterations"), QStringLiteral("n"), QStringLiteral("2000"));
    const QCommandLineOption threads(QStringLiteral("threads"), QStringLiteral("torch CPU threads (0 = all)"), QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption evalEvery(QStringLiteral("evaluate-every"), QStringLiteral("quick evaluation interval"), QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption controllerOnly(QStringLiteral("controller-only"),
        QStringLiteral("no window: the run controller alone (separates the window's cost from the threads')"));
    const QCommandLineOption baseline(QStringLiteral("baseline"), QStringLiteral("also evaluate the random-real baseline beside the run (a first run's one-time cost)"));
    const QCommandLineOption heartbeatMs(QStringLiteral("heartbeat-ms"),
        QStringLiteral("interval of the GUI-thread probe timer (0 = no probe: its 100 wake-ups/s cost the run time)"),
        QStringLiteral("ms"), QStringLiteral("10"));
    const QCommandLineOption presentation(QStringLiteral("presentation"), QStringLiteral("run the window in presentation mode"));
    parser.addOptions({method, ipc, iterations, threads, evalEvery, baseline, controllerOnly, heartbeatMs, presentation});
    parser.process(app);

    distillery::core::RunConfig config;
    distillery::core::applyPreset(config, "classroom");
    config.method = parser.value(method).toStdString();
    config.ipc = parser.value(ipc).toInt();
    config.iterations = parser.value(iterations).toInt();
    config.threads = parser.value(threads).toInt();
    config.device = "cpu";
    config.seed = 0;
    config.finalEval = false;

    distillery::ui::RunController bareController;
    distillery::ui::MainWindow window;
    window.setConfig(config);
    window.resize(1500, 950);
    if (!parser.isSet(controllerOnly))
        window.show();
    if (parser.isSet(presentation))
        window.setPresentationMode(true);
    distillery::ui::RunController& controller = parser.isSet(controllerOnly) ? bareController : window.controller();
    controller.setEvaluationInterval(parser.value(evalEvery).toInt());

    // The GUI thread's heartbeat: a 10 ms timer whose late ticks show a frozen event loop.
    QElapsedTimer clock;
    qint64 lastTick = -1;
    QList<qint64> gaps;
    QTimer heartbeat;
    heartbeat.setInterval(parser.value(heartbeatMs).toInt());
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        if (lastTick >= 0)
            gaps.append(now - lastTick);
        lastTick = now;
    });

    QJsonArray memory;
    int nextMemoryAt = 0;
    int lastIteration = 0;
    QElapsedTimer runClock;
    double firstStepAt = -1;
    QObject::connect(&controller, &distillery::ui::RunController::stepsCompleted,
        [&](const QList<distillery::core::StepStats>& steps) {
            lastIteration = steps.back().iteration;
            if (firstStepAt < 0)
                firstStepAt = runClock.elapsed() / 1000.0;
            while (lastIteration >= nextMemoryAt) {
                memory.append(QJsonObject{{QStringLiteral("iteration"), nextMemoryAt}, {QStringLiteral("rss_mib"), residentMiB()}});
                nextMemoryAt += 1000;
            }
        });
    QObject::connect(&controller, &distillery::ui::RunController::runFinished, [&](const distillery::core::RunResult& r) {
        heartbeat.stop();
        const double seconds = runClock.elapsed() / 1000.0;
        std::vector<qint64> sorted(gaps.begin(), gaps.end());
        std::sort(sorted.begin(), sorted.end());
        const qint64 maxGap = sorted.empty() ? 0 : sorted.back();
        const qint64 p99 = sorted.empty() ? 0 : sorted[sorted.size() * 99 / 100];
        QJsonObject out{{QStringLiteral("method"), parser.value(method)}, {QStringLiteral("ipc"), config.ipc},
            {QStringLiteral("iterations"), r.iterations}, {QStringLiteral("seconds"), seconds},
            {QStringLiteral("seconds_after_first_step"), seconds - firstStepAt},
            {QStringLiteral("iterations_per_second"), (r.iterations - 1) / std::max(1e-9, seconds - firstStepAt)},
            {QStringLiteral("timer_ticks"), static_cast<int>(gaps.size())}, {QStringLiteral("max_gap_ms"), maxGap},
            {QStringLiteral("p99_gap_ms"), p99}, {QStringLiteral("rss_mib"), memory},
            {QStringLiteral("curve_points"), window.curves().lossPointCount()},
            {QStringLiteral("accuracy_points"), window.curves().accuracyPointCount()},
            {QStringLiteral("gui_thread_cpu_seconds"), threadCpuSeconds(getpid())},
            {QStringLiteral("process_cpu_seconds"), processCpuSeconds()},
            {QStringLiteral("replot_ms_total"), window.curves().replotMilliseconds()},
            {QStringLiteral("replots"), window.curves().replotCount()}};
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
        QApplication::quit();
    });

    clock.start();
    runClock.start();
    if (heartbeat.interval() > 0)
        heartbeat.start();
    if (parser.isSet(baseline) && !parser.isSet(controllerOnly)) {
        window.startRun();
    } else {
        // As the window starts a run whose baseline is already cached.
        config.outDir = QStandardPaths::writableLocation(QStandardPaths::TempLocation).toStdString() + "/distillery-gui-bench";
        controller.start(config, false);
    }
    return QApplication::exec();
}
