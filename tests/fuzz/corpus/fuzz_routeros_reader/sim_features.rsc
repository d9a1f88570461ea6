# Exercises the simulator's subset: blocks, locals, arrays, loops, menu verbs.
/interface ethernet add name=ether1
/ip ipsec profile add name=pr dh-group=modp2048 enc-algorithm=aes-256
/ip ipsec peer add name=p1 address=198.51.100.1/32 profile=pr comment="vpnaas:peer:a~b"
/interface gre add name=gre1 remote-address=198.51.100.1 local-address=203.0.113.1 mtu=1400 comment="vpnaas:gre:a~b"
/ip firewall filter add chain=input action=drop
{
  :local n 0
  :local a [:toarray "x,y,z"]
  :set ($a->"k") true
  :foreach i in=$a do={ :set n ($n + 1) }
  :if ($n >= 3 and [:len $a] = 4) do={ /ip route add dst-address=10.1.0.0/24 gateway=gre1 } else={ :error "bad" }
  :if ([:typeof ($a->"missing")] = "nothing") do={ :put ("n=" . $n . "," . (-$n - 2)) }
  :local d [/ip firewall filter find where chain=input and action=drop]
  /ip firewall filter add chain=input action=accept place-before=($d->0)
  :local mtu [/interface gre get [find where comment~"^vpnaas:"] mtu]
  :if (!($mtu != "1400")) do={ /interface gre set [find where name=gre1] mtu=1380 !keepalive }
}
/ip route remove [find where dst-address=10.1.0.0/24]
:foreach id in=[/ip ipsec peer find where comment~"^vpnaas:"] do={ /ip ipsec peer set $id disabled=yes }
