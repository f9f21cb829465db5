// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// Links only distillery_core (no Qt Test on purpose); check_qt_free.cmake inspects what it loads.
#include <distillery/models.h>
#include <distillery/version.h>

#include <iostream>

int main()
{
    const auto summary = distillery::core::describeModel({}, 1, 28, 28, 10);
    std::cout << distillery::core::version() << " " << summary.description << " " << summary.parameters << std::endl;
    return summary.parameters == 317706 ? 0 : 1;
}
