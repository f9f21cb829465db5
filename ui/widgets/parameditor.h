// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/parameters.h>

#include <QWidget>

#include <optional>
#include <string>

class QComboBox;
class QLabel;
class QLineEdit;

namespace distillery::ui {

/// One method parameter in the control panel, built from its declaration (core::ParamSpec): a text field for
/// numbers, a list for choices, an editable list for augmentation. Empty / "Auto" means the user left it to the
/// method; the value it resolves to is shown beside it, read-only, and never becomes the request.
class ParamEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParamEditor)

public:
    explicit ParamEditor(core::ParamSpec spec, QWidget* parent = nullptr);

    const core::ParamSpec& spec() const { return m_spec; }

    /// What the user set: nothing (auto), or a value checked against the declaration. An entry that does not
    /// parse counts as auto and shows its error (valid() is false).
    std::optional<core::ParamValue> value() const;
    void setValue(const std::optional<core::ParamValue>& value);

    /// False while the field holds text that is not a valid value; error() says why.
    bool valid() const;
    QString error() const;

    /// The resolved value to show beside an auto field (empty: unknown, e.g. it depends on the data).
    void setResolved(const QString& text);
    QString resolvedText() const;

Q_SIGNALS:
    void edited();

private:
    /// The value the field holds, as text ("" for auto): a list's item value, or what was typed.
    std::string enteredText() const;
    void check();

    core::ParamSpec m_spec;
    QLineEdit* m_text = nullptr; // Integer, Real
    QComboBox* m_choice = nullptr; // Choice, Augmentation (editable)
    QLabel* m_resolved = nullptr;
    QString m_error;
    QString m_help; ///< the field's tooltip: what the parameter does, its range, what Auto means
};

} // namespace distillery::ui
