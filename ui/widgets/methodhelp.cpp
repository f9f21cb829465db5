// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/methodhelp.h"

#include <distillery/methods.h>

#include <QCoreApplication>

namespace distillery::ui {

QString methodExplanation(const QString& method)
{
    auto tr = [](const char* text) { return QCoreApplication::translate("MethodHelp", text); };
    if (method == QLatin1String("dm"))
        return tr("<h3>Distribution matching (DM)</h3>"
                  "<p>Take a network with <b>random, untrained</b> weights. Feed it a batch of real images of one "
                  "class and the synthetic images of that class, and compare the <b>average feature vector</b> "
                  "of each. Move the synthetic pixels so the averages agree. Repeat with a new random network "
                  "every iteration.</p>"
                  "<p style='font-family:serif'>L = &Sigma;<sub>c</sub> &#8214; mean &psi;<sub>&theta;</sub>(real<sub>c</sub>) "
                  "&minus; mean &psi;<sub>&theta;</sub>(synthetic<sub>c</sub>) &#8214;&sup2;,  &theta; new every step</p>"
                  "<p>Watch: from noise, the class shapes appear within a few hundred iterations. The per-class "
                  "curves show which classes are still far from their real average.</p>");
    if (method == QLatin1String("dc"))
        return tr("<h3>Gradient matching (DC)</h3>"
                  "<p>A network learns from the real data by following gradients. DC makes the synthetic images "
                  "produce <b>the same gradient</b> as real images of the same class, layer by layer, while the "
                  "network itself trains on the synthetic set.</p>"
                  "<p style='font-family:serif'>L = &Sigma;<sub>c</sub> &Sigma;<sub>layers</sub> &Sigma;<sub>units</sub> "
                  "(1 &minus; cos(&nabla;<sub>&theta;</sub>&#8467;(synthetic<sub>c</sub>), "
                  "&nabla;<sub>&theta;</sub>&#8467;(real<sub>c</sub>)))</p>"
                  "<p>Watch: each iteration is slow (many small training steps), and the images stay noisy but "
                  "informative.</p>");
    if (method == QLatin1String("dsa"))
        return tr("<h3>Gradient matching with Siamese augmentation (DSA)</h3>"
                  "<p>DC, with one twist: before matching, the real and the synthetic batch get <b>the same random "
                  "augmentation</b> (the same crop, flip, rotation, colour change). The synthetic images learn "
                  "what survives augmentation.</p>"
                  "<p style='font-family:serif'>L = &Sigma;<sub>c</sub> D(&nabla;&#8467;(A<sub>&omega;</sub>(synthetic<sub>c</sub>)), "
                  "&nabla;&#8467;(A<sub>&omega;</sub>(real<sub>c</sub>))),  one &omega; for both</p>");
    if (method == QLatin1String("random"))
        return tr("<h3>Random real images</h3><p>No distillation: keep a few real images of each class, chosen "
                  "at random. Every distillation method must beat this baseline under the same evaluation.</p>");
    if (method == QLatin1String("herding"))
        return tr("<h3>Herding</h3><p>Keep real images one at a time so that the <b>average feature</b> of the "
                  "kept images stays as close as possible to the average of the whole class.</p>"
                  "<p style='font-family:serif'>p<sub>k</sub> = argmin<sub>x</sub> &#8214;&mu;<sub>c</sub> &minus; "
                  "(&phi;(x) + &Sigma;<sub>j&lt;k</sub> &phi;(p<sub>j</sub>)) / k&#8214;</p>");
    if (method == QLatin1String("kcenter"))
        return tr("<h3>K-center greedy</h3><p>Keep real images that <b>cover</b> the class: each new image is the "
                  "one farthest from every image kept so far. The curve shows the coverage radius shrinking.</p>");
    for (const auto& info : core::availableMethods())
        if (QString::fromStdString(info.name) == method)
            return QStringLiteral("<h3>%1</h3><p>%2</p>")
                .arg(QString::fromStdString(info.title).toHtmlEscaped(), QString::fromStdString(info.summary).toHtmlEscaped());
    return {};
}

} // namespace distillery::ui
