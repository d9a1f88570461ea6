{
:local a [:toarray ""]
:set ($a->"x") [:toarray ""]
:set ($a->"x"->[:set a 1]) 2
}
