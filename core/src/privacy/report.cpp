// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// privacy.json and the self-contained privacy.html (docs/privacy.md §6: every number with its test, space, n,
// interval and baseline; a fixed footer; never a single badge).
#include "privacy/statistics.h"

#include <distillery/privacy.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace distillery::core {
namespace {

    using nlohmann::json;

    json toJson(const Interval& i) { return {{"value", i.value}, {"low", i.low}, {"high", i.high}}; }

    json toJson(const NeighbourMatch& m)
    {
        json j = {{"index", m.index}, {"label", m.label}, {"l2", m.l2}, {"ssim", m.ssim}};
        if (m.identical)
            j["psnr"] = "identical";
        else
            j["psnr"] = m.psnr;
        return j;
    }

    std::string base64(const std::vector<std::uint8_t>& bytes)
    {
        static const char* kTable = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        std::string out;
        for (std::size_t i = 0; i < bytes.size(); i += 3) {
            const std::uint32_t v = (bytes[i] << 16) | (i + 1 < bytes.size() ? bytes[i + 1] << 8 : 0)
                | (i + 2 < bytes.size() ? bytes[i + 2] : 0);
            out.push_back(kTable[(v >> 18) & 63]);
            out.push_back(kTable[(v >> 12) & 63]);
            out.push_back(i + 1 < bytes.size() ? kTable[(v >> 6) & 63] : '=');
            out.push_back(i + 2 < bytes.size() ? kTable[v & 63] : '=');
        }
        return out;
    }

    std::string escape(const std::string& text)
    {
        std::string out;
        for (char ch : text) {
            switch (ch) {
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '&':
                out += "&amp;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out.push_back(ch);
            }
        }
        return out;
    }

    std::string fixed(double v, int digits = 3)
    {
        std::ostringstream s;
        s.setf(std::ios::fixed);
        s.precision(digits);
        s << v;
        return s.str();
    }

    std::string withInterval(const Interval& i, int digits = 3)
    {
        return fixed(i.value, digits) + " [" + fixed(i.low, digits) + ", " + fixed(i.high, digits) + "]";
    }

    std::string image(const ImageBatch8& batch, int index)
    {
        if (batch.count <= index)
            return "";
        return "<img class='px' src='data:image/png;base64," + base64(encodePng(batch, index)) + "' alt=''>";
    }

    /// Overlaid histograms as inline SVG.
    std::string histogramSvg(const std::vector<std::pair<std::string, std::vector<double>>>& series)
    {
        double lo = 1e300, hi = -1e300;
        for (const auto& [name, values] : series)
            for (double v : values) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        if (!(hi > lo))
            hi = lo + 1;
        constexpr int kBins = 30, kW = 520, kH = 180, kPad = 30;
        const char* colours[] = {"#c0392b", "#2471a3", "#7f8c8d"};
        std::ostringstream svg;
        svg << "<svg width='" << kW + 2 * kPad << "' height='" << kH + 2 * kPad << "'>";
        svg << "<line x1='" << kPad << "' y1='" << kH + kPad << "' x2='" << kW + kPad << "' y2='" << kH + kPad << "' stroke='#333'/>";
        for (std::size_t s = 0; s < series.size(); ++s) {
            std::vector<double> bins(kBins, 0);
            for (double v : series[s].second)
                bins[std::min(kBins - 1, static_cast<int>((v - lo) / (hi - lo) * kBins))] += 1.0 / series[s].second.size();
            const double top = *std::max_element(bins.begin(), bins.end());
            svg << "<polyline fill='none' stroke-width='2' stroke='" << colours[s % 3] << "' points='";
            for (int b = 0; b < kBins; ++b)
                svg << kPad + (b + 0.5) * kW / kBins << "," << kH + kPad - (top > 0 ? bins[b] / top : 0) * kH << " ";
            svg << "'/><text x='" << kPad + 8 << "' y='" << kPad + 14 * (s + 1) << "' fill='" << colours[s % 3]
                << "' font-size='12'>" << escape(series[s].first) << "</text>";
        }
        svg << "<text x='" << kPad << "' y='" << kH + kPad + 18 << "' font-size='11'>" << fixed(lo, 2) << "</text>";
        svg << "<text x='" << kW + kPad - 40 << "' y='" << kH + kPad + 18 << "' font-size='11'>" << fixed(hi, 2) << "</text>";
        svg << "</svg>";
        return svg.str();
    }

    /// ROC curves on log–log axes with the diagonal (docs/privacy.md §4.4).
    std::string rocSvg(const std::vector<const MembershipResult*>& curves)
    {
        constexpr int kSize = 320, kPad = 40;
        double smallest = 1.0;
        for (const auto* c : curves)
            smallest = std::min(smallest, 1.0 / std::max(1, c->nonMembers));
        const double logMin = std::log10(smallest);
        auto x = [&](double fpr) { return kPad + (std::log10(std::max(fpr, smallest)) - logMin) / -logMin * kSize; };
        auto y = [&](double tpr) { return kPad + kSize - (std::log10(std::max(tpr, smallest)) - logMin) / -logMin * kSize; };
        const char* colours[] = {"#c0392b", "#7f8c8d"};
        std::ostringstream svg;
        svg << "<svg width='" << kSize + 2 * kPad << "' height='" << kSize + 2 * kPad << "'>";
        svg << "<rect x='" << kPad << "' y='" << kPad << "' width='" << kSize << "' height='" << kSize << "' fill='none' stroke='#333'/>";
        svg << "<line x1='" << x(smallest) << "' y1='" << y(smallest) << "' x2='" << x(1) << "' y2='" << y(1)
            << "' stroke='#999' stroke-dasharray='4'/>";
        for (std::size_t i = 0; i < curves.size(); ++i) {
            svg << "<polyline fill='none' stroke-width='2' stroke='" << colours[i % 2] << "' points='";
            for (const auto& p : curves[i]->roc)
                if (p.fpr > 0 || p.tpr > 0)
                    svg << x(p.fpr) << "," << y(p.tpr) << " ";
            svg << "'/><text x='" << kPad + 8 << "' y='" << kPad + 16 * (i + 1) << "' font-size='12' fill='" << colours[i % 2]
                << "'>" << escape(curves[i]->target) << " (AUC " << fixed(curves[i]->auc.value) << ")</text>";
        }
        svg << "<text x='" << kPad + kSize / 2 - 60 << "' y='" << kSize + kPad + 30
            << "' font-size='12'>false positive rate (log)</text>";
        svg << "<text x='4' y='" << kPad - 10 << "' font-size='12'>true positive rate (log)</text>";
        svg << "<text x='" << kPad << "' y='" << kSize + kPad + 14 << "' font-size='10'>" << fixed(smallest, 4) << "</text>";
        svg << "<text x='" << kPad + kSize - 8 << "' y='" << kSize + kPad + 14 << "' font-size='10'>1</text>";
        svg << "</svg>";
        return svg.str();
    }

} // namespace

std::string privacyJson(const PrivacyReport& r)
{
    json images = json::array();
    for (const auto& p : r.images) {
        json nearest = json::array();
        for (const auto& m : p.nearestTraining)
            nearest.push_back(toJson(m));
        json j = {{"index", p.index}, {"label", p.label}, {"init_index", p.initIndex},
            {"nearest_training", nearest}, {"nearest_held_out", toJson(p.nearestHeldOut)},
            {"dcr_training", p.dcrTraining}, {"dcr_held_out", p.dcrHeldOut}, {"nndr", p.nndr},
            {"flags", {{"exact_copy", p.exactCopy}, {"own_init_image", p.ownInit},
                          {"closer_to_training_than_held_out", p.closerToTraining}, {"other_class", p.otherClass}}},
            {"similarity_level", p.level}};
        if (p.initIndex >= 0) {
            j["init_image"] = toJson(p.initImage);
            j["init_rank"] = p.initRank;
        }
        images.push_back(j);
    }
    json membership = json::array();
    for (const auto& m : r.membership) {
        json roc = json::array();
        for (const auto& p : m.roc)
            roc.push_back({p.fpr, p.tpr});
        membership.push_back({{"pool", m.pool}, {"target", m.target}, {"members", m.members},
            {"non_members", m.nonMembers}, {"auc", toJson(m.auc)},
            {"tpr_at_1pct_fpr", m.tprAt1Valid ? toJson(m.tprAt1) : json("n/a (needs at least 100 non-members)")},
            {"tpr_at_0.1pct_fpr", m.tprAt01Valid ? toJson(m.tprAt01) : json("n/a (needs at least 1,000 non-members)")},
            {"advantage", m.advantage}, {"target_test_accuracy", m.targetAccuracy}, {"state", m.state}, {"roc", roc}});
    }
    json differences = json::array();
    for (const auto& d : r.differences)
        differences.push_back({{"pool", d.pool}, {"auc_synthetic_minus_random_real", toJson(d.aucDifference)}, {"state", d.state}});
    json findings = json::array();
    for (const auto& f : r.findings)
        findings.push_back({{"headline", f.headline}, {"detail", f.detail}});
    const json out = {{"format", "distillery-privacy-report/1"},
        {"dataset", {{"name", r.datasetName}, {"source", r.datasetSource}}}, {"method", r.method}, {"ipc", r.ipc},
        {"real_images", r.realImages}, {"member_images", r.memberImages}, {"train_images", r.trainImages}, {"space", r.space}, {"similarity_levels", similarityThresholds()},
        {"summary", r.summary}, {"findings", findings}, {"footer", r.footer}, {"images", images},
        {"share_init_rank_one", r.shareInitRankOne},
        {"dcr",
            {{"test", "distance to closest record"}, {"reference_size", r.dcr.referenceSize}, {"draws", r.dcr.draws},
                {"share_closer_to_training", toJson(r.dcr.shareCloserToTraining)},
                {"overfitting_protection", r.dcr.overfittingProtection},
                {"baseline_protection", r.dcr.baselineProtection},
                {"real_to_real_median_ratio", r.dcr.realToRealMedianRatio},
                {"real_to_real_p5_ratio", r.dcr.realToRealP5Ratio},
                {"synthetic_to_training", r.dcr.syntheticToTraining}, {"synthetic_to_held_out", r.dcr.syntheticToHeldOut},
                {"held_out_to_training", r.dcr.heldOutToTraining}}},
        {"nndr", {{"synthetic", r.nndr.synthetic}, {"held_out_baseline_p1", r.nndr.baselineP1}, {"flagged", r.nndr.flagged}}},
        {"membership_inference",
            {{"test", "loss threshold (Yeom et al. 2018), score = -cross-entropy averaged over the target models"},
                {"target_models_per_set", r.membershipSeeds}, {"results", membership}, {"differences", differences}}},
        {"seconds", {{"nearest_neighbours", r.neighbourSeconds}, {"dcr_nndr", r.dcrSeconds}, {"membership", r.membershipSeconds}}}};
    return out.dump(2);
}

std::string privacyHtml(const PrivacyReport& r)
{
    std::ostringstream h;
    h << "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Distillery privacy report: " << escape(r.datasetName)
      << ", " << escape(r.method) << "</title><style>"
      << "body{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222}"
      << "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;font-size:13px;vertical-align:middle}"
      << "img.px{width:84px;height:84px;image-rendering:pixelated}"
      << ".high{background:#f5b7b1}.elevated{background:#fad7a0}.low{background:#d5f5e3}"
      << ".footer{border-top:2px solid #333;margin-top:2em;padding-top:.5em;font-weight:bold}"
      << "</style></head><body>";
    h << "<h1>Privacy evidence for a synthetic set</h1>";
    h << "<p>Data set: <b>" << escape(r.datasetName) << "</b> (" << escape(r.datasetSource) << "); method: <b>"
      << escape(r.method) << "</b>; " << r.ipc << " images per class; " << r.images.size() << " images. Space: "
      << escape(r.space) << ".</p>";
    h << "<p>" << escape(r.summary) << "</p>";
    h << "<p class='footer'>" << escape(r.footer) << "</p>";

    h << "<h2>Nearest real images</h2><p>" << escape(similarityThresholds())
      << " Rows are sorted by distance to the nearest training image, closest first. The held-out column shows what "
         "“close” looks like for an image the method never read.</p>";
    h << "<table><tr><th>#</th><th>synthetic</th><th>start image</th><th>nearest training image</th><th>nearest "
         "held-out image</th><th>flags</th><th>level</th></tr>";
    for (std::size_t i = 0; i < r.images.size(); ++i) {
        const auto& p = r.images[i];
        const auto& t = p.nearestTraining.front();
        auto numbers = [](const NeighbourMatch& m) {
            return "d₂ " + fixed(m.l2, 3) + "<br>SSIM " + fixed(m.ssim, 3) + "<br>PSNR "
                + (m.identical ? std::string("identical") : fixed(m.psnr, 1) + " dB");
        };
        std::string flags;
        if (p.exactCopy)
            flags += "exact copy<br>";
        if (p.ownInit)
            flags += "nearest is its own start image<br>";
        if (p.closerToTraining)
            flags += "closer to training than to held-out<br>";
        if (p.otherClass)
            flags += "neighbour of another class<br>";
        h << "<tr><td>" << p.index << " (class " << p.label << ")</td><td>" << image(r.syntheticPixels, static_cast<int>(i))
          << "</td><td>"
          << (p.initIndex >= 0 ? image(r.initPixels, static_cast<int>(i)) + "<br>#" + std::to_string(p.initIndex)
                    + "<br>rank " + std::to_string(p.initRank) + "<br>SSIM " + fixed(p.initImage.ssim)
                               : std::string("noise"))
          << "</td><td>" << image(r.nearestTrainingPixels, static_cast<int>(i)) << "<br>#" << t.index << ", class "
          << t.label << "<br>" << numbers(t) << "</td><td>" << image(r.nearestHeldOutPixels, static_cast<int>(i))
          << "<br>" << numbers(p.nearestHeldOut) << "</td><td>" << flags << "NNDR " << fixed(p.nndr) << "</td><td class='"
          << p.level << "'>" << p.level << "</td></tr>";
    }
    h << "</table>";
    if (r.shareInitRankOne > 0)
        h << "<p>Real-initialisation leak: " << fixed(100 * r.shareInitRankOne, 1)
          << " % of the images that started from a real image are still closer to that image than to any other "
             "training image.</p>";

    h << "<h2>Distance to closest record</h2><p>Reference sets of " << r.dcr.referenceSize << " training (P′, "
      << r.dcr.draws << " draws) and " << r.dcr.referenceSize
      << " held-out images (H′). Share of synthetic images closer to training than to held-out: "
      << withInterval(r.dcr.shareCloserToTraining) << " (Wilson 95 %; ≈ 0.5 without member-specific signal). "
      << "Overfitting protection " << fixed(r.dcr.overfittingProtection) << ", baseline protection "
      << fixed(r.dcr.baselineProtection) << ", median DCR(S; P′) / median DCR(held-out; P′) = "
      << fixed(r.dcr.realToRealMedianRatio) << " (5th percentile ratio " << fixed(r.dcr.realToRealP5Ratio)
      << "; below 1: closer to training images than unseen real images are).</p>";
    h << histogramSvg({{"synthetic → training (P′)", r.dcr.syntheticToTraining},
        {"synthetic → held-out (H′)", r.dcr.syntheticToHeldOut}, {"held-out → training: real baseline", r.dcr.heldOutToTraining}});
    h << "<p>Nearest/second-nearest ratio: " << r.nndr.flagged
      << " synthetic images fall below the 1st percentile of held-out real images (" << fixed(r.nndr.baselineP1) << ").</p>";

    h << "<h2>Membership inference</h2>";
    if (r.membership.empty()) {
        h << "<p>Not run.</p>";
    } else {
        h << "<p>Loss-threshold attack: score = −cross-entropy, averaged over " << r.membershipSeeds
          << " models trained on each set with the evaluation protocol. Every row of the synthetic set stands next to "
             "the same attack on models trained on a random real subset of the same size. Intervals: bootstrap 95 %.</p>";
        h << "<table><tr><th>pool</th><th>models trained on</th><th>members / non-members</th><th>AUC</th>"
             "<th>TPR @ 1 % FPR</th><th>TPR @ 0.1 % FPR</th><th>advantage</th><th>their test accuracy</th><th>state</th></tr>";
        for (const auto& m : r.membership)
            h << "<tr><td>" << escape(m.pool) << "</td><td>" << escape(m.target) << "</td><td>" << m.members << " / "
              << m.nonMembers << "</td><td>" << withInterval(m.auc) << "</td><td>"
              << (m.tprAt1Valid ? withInterval(m.tprAt1) : std::string("n/a (needs ≥ 100 non-members)")) << "</td><td>"
              << (m.tprAt01Valid ? withInterval(m.tprAt01) : std::string("n/a (needs ≥ 1,000 non-members)")) << "</td><td>"
              << fixed(m.advantage) << "</td><td>" << fixed(100 * m.targetAccuracy, 1) << " %</td><td>" << escape(m.state)
              << "</td></tr>";
        h << "</table><table><tr><th>pool</th><th>AUC(synthetic) − AUC(random real)</th><th>state</th></tr>";
        for (const auto& d : r.differences)
            h << "<tr><td>" << escape(d.pool) << "</td><td>" << withInterval(d.aucDifference) << "</td><td>"
              << escape(d.state) << "</td></tr>";
        h << "</table>";
        std::vector<const MembershipResult*> all;
        for (const auto& m : r.membership)
            if (m.pool == "all members")
                all.push_back(&m);
        if (!all.empty())
            h << "<p>ROC of the attack on the pool of all members (log–log, dashed: chance):</p>" << rocSvg(all);
    }
    h << "<p>Time: nearest neighbours " << fixed(r.neighbourSeconds, 1) << " s, distances to closest record "
      << fixed(r.dcrSeconds, 1) << " s, membership inference " << fixed(r.membershipSeconds, 1) << " s.</p>";
    h << "<p>Background: dataset distillation with real-image initialisation can leak membership of those images "
         "(Dong et al., ICML 2022); re-analyses found no significant privacy gain over a small random real subset "
         "(Carlini et al., 2022); learned verification networks re-identify patients from chest X-ray pixels alone "
         "(Packhäuser et al., 2022) — Distillery does not run such an attack, and MedMNIST has no patient IDs.</p>";
    h << "<p class='footer'>" << escape(r.footer) << "</p></body></html>";
    return h.str();
}

} // namespace distillery::core
