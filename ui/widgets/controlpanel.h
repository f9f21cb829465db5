// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/config.h>
#include <distillery/datasets.h>

#include <QWidget>

#include <map>
#include <optional>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTextBrowser;

namespace distillery::ui {

class ParamEditor;

/// Every setting of a run, with a tooltip each, the Classroom/Paper presets, and the explanation of the selected
/// method. The method's own parameters are rows generated from its declarations (ParamEditor).
/// The panel holds the request — exactly what the user set, "auto" where they left it — and shows beside every
/// auto field what it resolves to (core::resolveConfig), read-only; a resolved config never becomes the request.
/// Each method keeps its own parameter request, so switching method never carries one method's settings into
/// another. The settings a run reads at its start are locked while it runs.
class ControlPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ControlPanel)

public:
    explicit ControlPanel(QWidget* parent = nullptr);

    /// The request the widgets describe: 0 / empty / "auto" and absent parameters where "Auto" is shown.
    distillery::core::RunConfig config() const;
    /// Makes `config` the request, as given (a loaded configuration or run, a script): every method parameter it
    /// holds counts as set by the user; other methods' parameters go back to auto.
    void setConfig(const distillery::core::RunConfig& config);

    /// What the request resolves to, as shown beside the auto fields (empty while it does not resolve: the
    /// reason is in resolveError()).
    const std::optional<distillery::core::RunConfig>& resolved() const { return m_resolved; }
    QString resolveError() const { return m_resolveError; }
    /// The generated parameter rows of the selected method.
    const std::vector<ParamEditor*>& parameterEditors() const { return m_editors; }

    /// What is known of the data set `source` (from opening it, or from a run): its augmentation strategy then
    /// shows beside an auto augmentation field.
    void setDataInfo(const distillery::core::DatasetInfo& info);
    /// What the last loaded or inspected data set holds (its source says which), if any.
    const std::optional<distillery::core::DatasetInfo>& dataInfo() const { return m_dataInfo; }

    /// Quick evaluations every N iterations while running (0 = off); not part of the run's config.
    int evaluationInterval() const;
    void setEvaluationInterval(int iterations);

    /// Adds a data source to the list and selects it ("idx:/data/mnist", "folder:/x-rays", …).
    void selectDataSource(const QString& source);

    void setRunning(bool running);
    bool isRunning() const { return m_running; }

    /// Picks the method as the method list does (its own parameter request comes back) and sets the IPC: the
    /// presentation mode's slim bar edits the request through these.
    void selectMethod(const QString& name);
    void setIpc(int ipc);

Q_SIGNALS:
    void methodChanged(const QString& method);
    /// Any setting changed (the request, not the resolved view).
    void requestChanged();
    void evaluationIntervalChanged(int iterations);
    /// The user picked "Open …" for a data source kind: "idx", "cifar10", "cifar100", "folder", "medmnist".
    void openDataSourceRequested(const QString& kind);

private:
    void applyPreset(const QString& preset);
    void updateMethodHelp();
    /// Rebuilds the parameter rows for the selected method, keeping each method's request.
    void showMethodParameters();
    /// What the parameter rows of the selected method hold: the values set, nothing for the rows on auto.
    distillery::core::ParamValues editedParameters() const;
    void storeParameterRequest();
    /// Resolves the request and shows the result beside every auto field.
    void refreshResolved();
    void changed();

    distillery::core::RunConfig m_base; // fields without a widget (performance, outDir, …) travel through here
    std::map<std::string, distillery::core::ParamValues> m_paramRequests; // by method
    std::string m_shownMethod;
    std::vector<ParamEditor*> m_editors;
    std::optional<distillery::core::DatasetInfo> m_dataInfo;
    std::optional<distillery::core::RunConfig> m_resolved;
    QString m_resolveError;
    bool m_updating = false; // setConfig in progress: no change signals
    bool m_running = false;
    QGroupBox* m_paramBox = nullptr;
    QFormLayout* m_paramForm = nullptr;
    QLabel* m_resolveStatus = nullptr;
    QLabel* m_dataSummary = nullptr; // what reading the data set found and decided
    QComboBox* m_flips = nullptr;
    QComboBox* m_select = nullptr; ///< data selection: none or a drop rule
    QDoubleSpinBox* m_selectPercent = nullptr;
    QComboBox* m_selectScore = nullptr;
    QComboBox* m_dataset = nullptr;
    QPushButton* m_openData = nullptr;
    QSpinBox* m_imageSize = nullptr;
    QComboBox* m_color = nullptr;
    QComboBox* m_method = nullptr;
    QSpinBox* m_ipc = nullptr;
    QSpinBox* m_iterations = nullptr;
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
