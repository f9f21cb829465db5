// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <distillery/error.h>
#include <distillery/imagebatch.h>

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace distillery::core {

/// Parses "cpu", "cuda", "cuda:N" (after resolveDevice()).
torch::Device toTorchDevice(const std::string& device);

/// Runs `fn`, turning torch's c10::Error (and std::bad_alloc) into Error with `context` in front, so no torch
/// exception type escapes core. Out of memory gets its own plain wording.
template<typename Fn>
auto translateErrors(const std::string& context, Fn&& fn) -> decltype(fn());

/// Host copies between torch tensors and the plain public types.
torch::Tensor toTensor(const ImageBatch& batch);
ImageBatch toImageBatch(const torch::Tensor& images);
std::vector<float> toFloatVector(const torch::Tensor& t);
std::vector<std::int64_t> toInt64Vector(const torch::Tensor& t);
torch::Tensor fromFloatVector(const std::vector<float>& values, torch::IntArrayRef shape);
torch::Tensor fromInt64Vector(const std::vector<std::int64_t>& values);

/// De-normalise (x·std + mean), clamp to [0, 1], round to 8 bits. `mean`/`std` are per channel.
ImageBatch8 toDisplay(const torch::Tensor& normalised, const std::vector<float>& mean, const std::vector<float>& std);

/// "12.3 MiB"
std::string formatBytes(double bytes);

/// Deterministic sub-seeds: the same (seed, stream, index) always gives the same value, and streams do not
/// collide (splitmix64 of the mixed words).
std::uint64_t deriveSeed(std::uint64_t seed, std::uint64_t stream, std::uint64_t index = 0);

/// Throws Error("<what> became NaN or infinite …") when `value` is not finite.
void checkFinite(double value, const std::string& what);

// --- implementation of the template ---------------------------------------------------------------------------

std::string describeTorchError(const std::string& context, const std::string& message);

template<typename Fn>
auto translateErrors(const std::string& context, Fn&& fn) -> decltype(fn())
{
    try {
        return std::forward<Fn>(fn)();
    } catch (const Error&) {
        throw;
    } catch (const c10::Error& e) {
        throw Error(describeTorchError(context, e.what_without_backtrace()));
    } catch (const std::bad_alloc&) {
        throw Error(context + ": out of memory");
    }
}

} // namespace distillery::core
