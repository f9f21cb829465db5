// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/config.h>

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTextBrowser;

namespace distillery::ui {

/// Every setting of a run, with a tooltip each, the Classroom/Paper presets, and the explanation of the selected
/// method. Reads and writes a core::RunConfig; the settings a run reads at its start are locked while it runs.
class ControlPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlPanel)

public:
    explicit ControlPanel(QWidget* parent = nullptr);

    /// The config the widgets describe (0 / empty where "Default" is shown: the method fills it in).
    distillery::core::RunConfig config() const;
    void setConfig(const distillery::core::RunConfig& config);

    /// Quick evaluations every N iterations while running (0 = off); not part of the run's config.
    int evaluationInterval() const;
    void setEvaluationInterval(int iterations);

    /// Adds a data source to the list and selects it ("idx:/data/mnist", "folder:/x-rays", …).
    void selectDataSource(const QString& source);

    void setRunning(bool running);

Q_SIGNALS:
    void methodChanged(const QString& method);
    void evaluationIntervalChanged(int iterations);
    /// The user picked "Open …" for a data source kind: "idx", "cifar10", "cifar100", "folder", "medmnist".
    void openDataSourceRequested(const QString& kind);

private:
    void applyPreset(const QString& preset);
    void updateMethodHelp();

    distillery::core::RunConfig m_base; // fields without a widget (performance, outDir, …) travel through here
    QComboBox* m_dataset = nullptr;
    QPushButton* m_openData = nullptr;
    QSpinBox* m_imageSize = nullptr;
    QComboBox* m_color = nullptr;
    QComboBox* m_method = nullptr;
    QSpinBox* m_ipc = nullptr;
    QSpinBox* m_iterations = nullptr;
    QDoubleSpinBox* m_lrImage = nullptr;
    QSpinBox* m_realBatch = nullptr;
    QComboBox* m_init = nullptr;
    QComboBox* m_augment = nullptr;
    QComboBox* m_arch = nullptr;
    QSpinBox* m_width = nullptr;
    QSpinBox* m_depth = nullptr;
    QComboBox* m_norm = nullptr;
    QComboBox* m_device = nullptr;
    QSpinBox* m_seed = nullptr;
    QSpinBox* m_evalModels = nullptr;
    QSpinBox* m_evalEpochs = nullptr;
    QComboBox* m_evalAugment = nullptr;
    QSpinBox* m_evalEvery = nullptr;
    QLabel* m_presetLabel = nullptr;
    QTextBrowser* m_help = nullptr;
    QList<QWidget*> m_lockedWhileRunning;
};

} // namespace distillery::ui
