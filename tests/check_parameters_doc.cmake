# SPDX-FileCopyrightText: 2026 The Distillery developers
# SPDX-License-Identifier: GPL-3.0-or-later
# docs/parameters.md is generated from the methods' parameter declarations: fails when the two disagree, saying how
# to regenerate it. -DCLI=<distillery-cli> -DDOC=<docs/parameters.md>
execute_process(COMMAND ${CLI} info --parameters-markdown OUTPUT_VARIABLE generated RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "${CLI} info --parameters-markdown failed (${result})")
endif()
file(READ ${DOC} written)
if(NOT generated STREQUAL written)
    message(FATAL_ERROR "${DOC} does not match the parameter declarations; regenerate it with\n"
        "  ${CLI} info --parameters-markdown > docs/parameters.md")
endif()
string(REGEX MATCHALL "\n## " methods "${generated}")
list(LENGTH methods count)
message(STATUS "docs/parameters.md matches the declarations of ${count} methods")
