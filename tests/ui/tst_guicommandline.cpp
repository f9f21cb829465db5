// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The window's command line (app/gui/commandline): what its options do to the window's request.
#include "commandline.h"

#include <distillery/config.h>
#include <distillery/error.h>

#include <QTest>

using namespace distillery;

class TestGuiCommandLine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // `distillery --method frepo` after the window last ran DSA (whose request held DSA's augmentation): the new method
    // starts from its own defaults instead of refusing the other method's parameters.
    void anotherMethodDropsTheRequestsParameters()
    {
        core::RunConfig c;
        core::applyPreset(c, "classroom");
        c.method = "dsa";
        c.params.set("augment", std::string("crop_flip"));
        c.params.set("lrImage", 0.5);
        const app::GuiOptions options = app::parseGuiOptions({QStringLiteral("distillery"), QStringLiteral("--method"),
            QStringLiteral("frepo"), QStringLiteral("--ipc"), QStringLiteral("3")});
        QVERIFY(options.error.isEmpty());
        core::RunConfig changed = c;
        app::applyGuiOptions(options, changed); // throws when another method's parameter is left in the request
        QCOMPARE(changed.method, std::string("frepo"));
        QCOMPARE(changed.ipc, 3);
        QVERIFY(changed.params.empty());

        // The same method keeps what was chosen for it.
        core::RunConfig same = c;
        app::applyGuiOptions(app::parseGuiOptions({QStringLiteral("distillery"), QStringLiteral("--method"), QStringLiteral("dsa")}), same);
        QCOMPARE(same.params.real("lrImage"), 0.5);
        QCOMPARE(same.params.text("augment"), std::string("crop_flip"));
    }
};

QTEST_MAIN(TestGuiCommandLine)
#include "tst_guicommandline.moc"
