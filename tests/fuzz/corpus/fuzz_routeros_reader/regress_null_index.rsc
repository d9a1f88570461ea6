{
:local a [:toarray "x"]
:set ($a->5) 1
}
