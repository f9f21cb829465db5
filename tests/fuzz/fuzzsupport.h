// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// What every fuzz target shares (docs/testing.md, "Fuzzing"): a private scratch folder in memory, inputs split into
// several files, and the one rule of these targets — a core::Error is a refusal, anything else escaping is a finding.
#pragma once

#include <distillery/error.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

namespace fuzz {

/// This process's folder under /dev/shm (memory, so a million runs do not wear a disk), removed when the process
/// exits normally (libFuzzer ends a timed run and a replay with exit()); after a crash it stays, with the files of
/// the input that caused it.
class ScratchRoot {
public:
    ScratchRoot()
        : path_((std::filesystem::exists("/dev/shm") ? std::filesystem::path("/dev/shm") : std::filesystem::path("/tmp"))
              / fixedWidthName())
    {
    }
    // Every path the parsers see has the same length whatever the pid, so the code covered (string sizes, message
    // building) and with it a run of a fixed number of inputs do not change from one process to the next.
    static std::string fixedWidthName()
    {
        std::string pid = std::to_string(getpid());
        return "distillery-fuzz-" + std::string(10 - std::min<std::size_t>(pid.size(), 10), '0') + pid;
    }
    ~ScratchRoot()
    {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    ScratchRoot(const ScratchRoot&) = delete;
    ScratchRoot& operator=(const ScratchRoot&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

/// A folder `name` in this process's scratch folder, emptied before each use.
inline std::filesystem::path scratch(const char* name)
{
    static const ScratchRoot root;
    const auto dir = root.path() / name;
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    std::filesystem::create_directories(dir);
    return dir;
}

inline void writeFile(const std::filesystem::path& path, const std::uint8_t* data, std::size_t size)
{
    std::filesystem::create_directories(path.parent_path());
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f)
        return;
    if (size > 0)
        std::fwrite(data, 1, size, f);
    std::fclose(f);
}

/// The input as `count` files: each part is a little-endian u32 length and that many bytes (make-corpus.py writes
/// seeds this way); a part cut short takes what is left, missing parts are empty. The fuzzer mutates lengths too,
/// so files go missing, shrink and grow.
inline std::vector<std::vector<std::uint8_t>> splitParts(const std::uint8_t* data, std::size_t size, std::size_t count)
{
    std::vector<std::vector<std::uint8_t>> parts(count);
    std::size_t at = 0;
    for (std::size_t i = 0; i < count && at + 4 <= size; ++i) {
        const std::uint32_t n = std::uint32_t(data[at]) | (std::uint32_t(data[at + 1]) << 8) | (std::uint32_t(data[at + 2]) << 16)
            | (std::uint32_t(data[at + 3]) << 24);
        at += 4;
        const std::size_t take = std::min<std::size_t>(n, size - at);
        parts[i].assign(data + at, data + at + take);
        at += take;
    }
    return parts;
}

/// Runs `parse`; a distillery Error is the expected answer to bad input. Any other exception propagates, and
/// libFuzzer reports it as a crash with the input that caused it.
template<typename Fn>
void refusalIsFine(Fn&& parse)
{
    try {
        parse();
    } catch (const distillery::core::Error&) {
    }
}

} // namespace fuzz
