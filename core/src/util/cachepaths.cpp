// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/cachepaths.h"

#include <distillery/error.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>

namespace distillery::core {

std::string userDataDir(const std::string& what)
{
    namespace fs = std::filesystem;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return (fs::path(xdg) / "distillery" / what).string();
    const char* home = std::getenv("HOME");
    return (fs::path(home && *home ? home : ".") / ".local" / "share" / "distillery" / what).string();
}

void createCacheFolder(const std::string& folder, const std::string& what)
{
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec)
        throw Error(folder + ": cannot create the " + what + " folder (" + ec.message() + ")");
}

std::string lowerDashed(const std::string& text)
{
    std::string out;
    for (char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c)))
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out.empty() ? "data" : out;
}

} // namespace distillery::core
