// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/privacy.h>
#include <distillery/snapshot.h>

#include <QElapsedTimer>
#include <QWidget>

#include <optional>
#include <vector>

class QCheckBox;
class QCustomPlot;
class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;
class QTableWidget;
class QTreeWidget;

namespace distillery::ui {

/// The privacy evidence panel (docs/privacy.md): each synthetic image beside its nearest real images with SSIM/L2 and a
/// similarity level whose thresholds are on screen, a slider over the snapshots of the run showing how far the
/// images moved from their start images, the distance-to-closest-record histogram against held-out images, and
/// the membership-inference numbers next to the random-real baseline. It shows evidence, never a verdict.
class PrivacyPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PrivacyPanel)

public:
    explicit PrivacyPanel(QWidget* parent = nullptr);

    void setReport(const distillery::core::PrivacyReport& report);
    void setBusy(const QString& stage, int done, int total);
    void setFailed(const QString& message);
    /// The inspection ended by Cancel (cancelRequested): nothing new to show.
    void setCancelled();
    /// A check that cannot run on the current data, refused before it starts (`reason` says why).
    void refuse(const QString& reason);
    /// The results shown belong to another set than the one now in the window (`why`: what changed).
    void markStale(const QString& why);
    bool isStale() const;
    /// The findings' plain headlines, as shown.
    QStringList findingHeadlines() const;
    /// The line above them (what the results are for, or why a check failed or was refused).
    QString summaryText() const;
    void clear();

    /// Keeps (a thinned history of) the run's snapshots for the movement slider.
    void addSnapshot(const distillery::core::Snapshot& snapshot);

    /// Writes the report shown as `htmlPath` (self-contained, as `distillery-cli privacy` writes it) and the same
    /// numbers as JSON beside it (.json). Returns an error message, empty on success.
    QString saveReport(const QString& htmlPath) const;
    bool hasReport() const { return m_report.has_value(); }

    bool membershipRequested() const;
    int membershipSeeds() const;
    bool liveUpdates() const;
    int galleryRows() const;
    int snapshotCount() const { return static_cast<int>(m_history.size()); }

Q_SIGNALS:
    void inspectRequested();
    void cancelRequested();

private:
    void showMovement(int historyIndex);

    QPushButton* m_inspect = nullptr;
    QCheckBox* m_membership = nullptr;
    QSpinBox* m_seeds = nullptr;
    QCheckBox* m_live = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancel = nullptr;
    QString m_stage; ///< the stage in progress, for its ETA
    QElapsedTimer m_stageTimer;
    QLabel* m_summary = nullptr;
    QLabel* m_stale = nullptr;
    QTreeWidget* m_findings = nullptr;
    QString m_subject; ///< which set the results shown are for
    QTableWidget* m_gallery = nullptr;
    QSlider* m_movementSlider = nullptr;
    QLabel* m_movement = nullptr;
    QCustomPlot* m_dcrPlot = nullptr;
    QTableWidget* m_membershipTable = nullptr;
    std::vector<distillery::core::Snapshot> m_history;
    QPushButton* m_save = nullptr;
    std::optional<distillery::core::PrivacyReport> m_report; ///< the report shown, for Save report
};

} // namespace distillery::ui
