// SPDX-FileCopyrightText: 2026 The Distillery developers
// SPDX-License-Identifier: GPL-3.0-or-later
// The parameter reference generated from the declarations (docs/parameters.md, `info --json`).
#include <distillery/augment.h>
#include <distillery/methods.h>
#include <distillery/parameters.h>

#include <sstream>

namespace distillery::core {
namespace {

    /// "1.0" for every IPC, or "IPC 1: 1, 10: 10, 50: 50" where they differ.
    std::string defaultsCell(const std::vector<ParamDefault>& defaults, const std::string& preset)
    {
        std::vector<const ParamDefault*> rows;
        for (const auto& d : defaults)
            if (d.preset == preset)
                rows.push_back(&d);
        bool same = true;
        for (const auto* r : rows)
            same = same && r->value == rows.front()->value;
        if (same)
            return "`" + rows.front()->value + "`";
        std::string cell = "IPC";
        for (const auto* r : rows)
            cell += (r == rows.front() ? " " : ", ") + std::to_string(r->ipc) + ": `" + r->value + "`";
        return cell;
    }

    std::string rangeCell(const ParamSpec& spec)
    {
        switch (spec.kind) {
        case ParamKind::Integer:
        case ParamKind::Real:
            return paramValueText(spec.min) + " … " + paramValueText(spec.max);
        case ParamKind::Choice:
        case ParamKind::Augmentation: {
            std::string cell;
            for (const auto& c : spec.choices)
                cell += (cell.empty() ? "" : ", ") + ("`" + c.value + "`");
            return spec.kind == ParamKind::Augmentation ? cell + ", or DSA groups joined by `_`" : cell;
        }
        }
        return "";
    }

} // namespace

std::vector<ParamDefault> paramDefaults(const ParamSpec& spec)
{
    std::vector<ParamDefault> out;
    for (const char* preset : {"classroom", "paper"})
        for (const int ipc : {1, 10, 50}) {
            const ParamContext context{preset, ipc, kDsaStrategyDefault};
            out.push_back({preset, ipc, spec.defaultValue ? paramValueText(spec.defaultValue(context)) : ""});
        }
    return out;
}

std::string parameterReferenceMarkdown()
{
    std::ostringstream md;
    md << "# Method parameters\n\n"
          "Generated from the parameter declarations in `core/src/methods/` (`distillery-cli info "
          "--parameters-markdown`); a test keeps this file equal to them. Each key sits under `params` in "
          "config.json; a key left out means *auto*: the default below for the run's preset and images per class "
          "(IPC). The window shows the resolved value beside every auto field. \"Resume\" says whether `distill "
          "--resume` may change the value.\n";
    for (const auto& method : availableMethods()) {
        md << "\n## " << method.name << " — " << method.title << "\n\n";
        const std::vector<ParamSpec> specs = methodParameters(method.name);
        if (specs.empty()) {
            md << "No parameters of its own.\n";
            continue;
        }
        md << "| key | option | kind, range | classroom | paper | resume | what it does |\n"
              "|---|---|---|---|---|---|---|\n";
        for (const auto& spec : specs) {
            const std::vector<ParamDefault> defaults = paramDefaults(spec);
            std::string option = "`--" + spec.flag + "`";
            for (const auto& alias : spec.flagAliases)
                option += " (`--" + alias + "`)";
            md << "| `" << spec.key << "` | " << option << " | " << paramKindName(spec.kind);
            const std::string range = rangeCell(spec);
            if (!range.empty())
                md << ": " << range;
            if (!spec.unit.empty())
                md << " (" << spec.unit << ")";
            md << " | ";
            if (!spec.defaultNote.empty())
                md << spec.defaultNote << " | " << spec.defaultNote;
            else
                md << defaultsCell(defaults, "classroom") << " | " << defaultsCell(defaults, "paper");
            md << " | " << (spec.resumable ? "yes" : "no") << " | " << spec.help << " |\n";
        }
    }
    return md.str();
}

} // namespace distillery::core
