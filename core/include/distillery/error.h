// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <stdexcept>
#include <string>

namespace distillery::core {

/// Every failure core reports: bad input (naming the file or setting), out of memory, NaN, a torch error.
/// The message is one line meant for a person; callers print it as is.
class Error : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/// A run was stopped by its RunControl while core was inside a long operation (e.g. an evaluation).
class Cancelled final : public Error
{
public:
    Cancelled()
        : Error("cancelled")
    {
    }
};

} // namespace distillery::core
