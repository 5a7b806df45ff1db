# Replace the line "__ACTIONS__" in IN with the contents of ACTIONS.
file(READ ${IN} page)
file(READ ${ACTIONS} actions)
string(REPLACE "__ACTIONS__\n" "${actions}" page "${page}")
file(WRITE ${OUT} "${page}")
