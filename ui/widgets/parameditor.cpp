// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/parameditor.h"

#include <distillery/error.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

namespace distillery::ui {
namespace {

    QString fromStd(const std::string& s) { return QString::fromStdString(s); }

    bool isNumber(core::ParamKind kind) { return kind == core::ParamKind::Integer || kind == core::ParamKind::Real; }

} // namespace

ParamEditor::ParamEditor(core::ParamSpec spec, QWidget* parent)
    : QWidget(parent)
    , m_spec(std::move(spec))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    QString tip = fromStd(m_spec.help);
    if (!m_spec.unit.empty())
        tip += tr(" (%1)").arg(fromStd(m_spec.unit));
    if (isNumber(m_spec.kind)) {
        m_text = new QLineEdit(this);
        m_text->setPlaceholderText(tr("Auto"));
        m_text->setClearButtonEnabled(true);
        tip += tr("\nAllowed: %1 … %2. Empty: the method's value for the preset.")
                   .arg(fromStd(core::paramValueText(m_spec.min)), fromStd(core::paramValueText(m_spec.max)));
        layout->addWidget(m_text, 1);
        connect(m_text, &QLineEdit::textEdited, this, [this] {
            check();
            Q_EMIT edited();
        });
    } else {
        m_choice = new QComboBox(this);
        m_choice->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        m_choice->setMinimumContentsLength(6);
        m_choice->addItem(tr("Auto"), QString());
        for (const auto& c : m_spec.choices)
            m_choice->addItem(fromStd(c.label), fromStd(c.value));
        if (m_spec.kind == core::ParamKind::Augmentation) {
            // Any DSA strategy may be typed in; the list holds the usual ones.
            m_choice->setEditable(true);
            m_choice->setInsertPolicy(QComboBox::NoInsert);
            tip += tr("\nOr type DSA groups joined by _ (color, crop, cutout, flip, scale, rotate).");
            connect(m_choice, &QComboBox::editTextChanged, this, [this] {
                check();
                Q_EMIT edited();
            });
        }
        tip += tr("\nAuto: the method's value for the preset.");
        layout->addWidget(m_choice, 1);
        connect(m_choice, qOverload<int>(&QComboBox::activated), this, [this] {
            check();
            Q_EMIT edited();
        });
    }
    m_resolved = new QLabel(this);
    m_resolved->setToolTip(tr("What this run would use"));
    m_resolved->setEnabled(false); // read-only, greyed: a resolved value is shown, never edited here
    layout->addWidget(m_resolved);
    m_help = tip;
    setToolTip(tip);
    (m_text ? static_cast<QWidget*>(m_text) : m_choice)->setToolTip(tip);
}

std::string ParamEditor::enteredText() const
{
    if (m_text)
        return m_text->text().trimmed().toStdString();
    if (m_choice->isEditable()) {
        // An editable list shows labels; a typed strategy is taken as written.
        const int index = m_choice->findText(m_choice->currentText());
        return index >= 0 ? m_choice->itemData(index).toString().toStdString()
                          : m_choice->currentText().trimmed().toStdString();
    }
    return m_choice->currentData().toString().toStdString();
}

std::optional<core::ParamValue> ParamEditor::value() const
{
    const std::string text = enteredText();
    if (text.empty())
        return std::nullopt;
    try {
        return core::parseParamValue(m_spec, text, m_spec.label);
    } catch (const core::Error&) {
        return std::nullopt;
    }
}

void ParamEditor::setValue(const std::optional<core::ParamValue>& value)
{
    const QString text = value ? fromStd(core::paramValueText(*value)) : QString();
    if (m_text) {
        m_text->setText(text);
    } else {
        int index = m_choice->findData(text);
        if (index < 0 && m_choice->isEditable()) {
            m_choice->setEditText(text);
        } else {
            m_choice->setCurrentIndex(std::max(0, index));
        }
    }
    check();
}

bool ParamEditor::valid() const
{
    return m_error.isEmpty();
}

QString ParamEditor::error() const
{
    return m_error;
}

void ParamEditor::check()
{
    m_error.clear();
    const std::string text = enteredText();
    if (!text.empty()) {
        try {
            core::parseParamValue(m_spec, text, m_spec.label);
        } catch (const core::Error& e) {
            m_error = fromStd(e.what());
        }
    }
    QWidget* field = m_text ? static_cast<QWidget*>(m_text) : m_choice;
    field->setStyleSheet(m_error.isEmpty() ? QString() : QStringLiteral("color: #b00020;"));
    field->setToolTip(m_error.isEmpty() ? m_help : m_error + QStringLiteral("\n\n") + m_help);
}

void ParamEditor::setResolved(const QString& text)
{
    // Beside an auto field only: a value the user set needs no echo.
    const bool isAuto = !value().has_value() && valid();
    m_resolved->setText(isAuto && !text.isEmpty() ? QStringLiteral("→ ") + text : QString());
}

QString ParamEditor::resolvedText() const
{
    return m_resolved->text();
}

} // namespace distillery::ui
