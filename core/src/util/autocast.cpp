// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
#include "util/autocast.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

// LibTorch 2.4 replaced the per-device calls (set_enabled / set_cpu_enabled, set_autocast_gpu_dtype / …_cpu_dtype)
// by calls that take the device type.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define DISTILLERY_AUTOCAST_BY_DEVICE_TYPE 1
#endif

namespace distillery::core {
namespace {

    bool autocastEnabled(torch::DeviceType type)
    {
#ifdef DISTILLERY_AUTOCAST_BY_DEVICE_TYPE
        return at::autocast::is_autocast_enabled(type);
#else
        return type == torch::kCUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
#endif
    }

    void setAutocastEnabled(torch::DeviceType type, bool enabled)
    {
#ifdef DISTILLERY_AUTOCAST_BY_DEVICE_TYPE
        at::autocast::set_autocast_enabled(type, enabled);
#else
        if (type == torch::kCUDA)
            at::autocast::set_enabled(enabled);
        else
            at::autocast::set_cpu_enabled(enabled);
#endif
    }

    torch::ScalarType autocastType(torch::DeviceType type)
    {
#ifdef DISTILLERY_AUTOCAST_BY_DEVICE_TYPE
        return at::autocast::get_autocast_dtype(type);
#else
        return type == torch::kCUDA ? at::autocast::get_autocast_gpu_dtype() : at::autocast::get_autocast_cpu_dtype();
#endif
    }

    void setAutocastType(torch::DeviceType type, torch::ScalarType scalarType)
    {
#ifdef DISTILLERY_AUTOCAST_BY_DEVICE_TYPE
        at::autocast::set_autocast_dtype(type, scalarType);
#else
        if (type == torch::kCUDA)
            at::autocast::set_autocast_gpu_dtype(scalarType);
        else
            at::autocast::set_autocast_cpu_dtype(scalarType);
#endif
    }

} // namespace

Bf16Autocast::Bf16Autocast(const torch::Device& device, bool enabled)
    : m_enabled(enabled && (device.is_cuda() || device.is_cpu()))
    , m_type(device.type())
{
    if (!m_enabled)
        return;
    m_wasEnabled = autocastEnabled(m_type);
    m_previousType = autocastType(m_type);
    setAutocastType(m_type, torch::kBFloat16);
    setAutocastEnabled(m_type, true);
    at::autocast::increment_nesting();
}

Bf16Autocast::~Bf16Autocast()
{
    if (!m_enabled)
        return;
    // The outermost autocast scope drops the bf16 copies of the weights it cached.
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache();
    setAutocastEnabled(m_type, m_wasEnabled);
    setAutocastType(m_type, m_previousType);
}

} // namespace distillery::core
