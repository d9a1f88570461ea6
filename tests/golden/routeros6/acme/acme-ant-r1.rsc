# vpnaas 0.1.0: RouterOS 6 configuration of device "acme-ant-r1" (site "acme/antwerp")
# inventory revision unknown (the inventory is not in a git repository)
# Needs RouterOS 6.47 or later
# 4 tunnel(s). Import with /import file-name="acme-ant-r1.rsc" (not verbose=yes, which runs
# each line on its own and so breaks the multi-line blocks below).
# Converging script: importing it again changes nothing. Items vpnaas manages carry the
# comment "vpnaas:<kind>:<id>" (IPsec profiles and proposals: a name starting
# "vpnaas-"); they are added, updated in place or removed as the inventory says, and
# other items are never touched.
# Check first: a name vpnaas needs that an item it does not manage holds stops the
# import here, before anything is changed.
{
  :local vpnaasTaken ""
  {
    :local vpnaasNeeded [:toarray ""]
    :local vpnaasOurs [:toarray ""]
    :set ($vpnaasNeeded->"vpnaas-acme-bru-r1") true
    :set ($vpnaasNeeded->"vpnaas-acme-ghe-r1") true
    :set ($vpnaasNeeded->"vpnaas-dc1-r1") true
    :set ($vpnaasNeeded->"vpnaas-dc1-r2") true
    :foreach vpnaasId in=[/ip ipsec peer find where comment~"^vpnaas:"] do={
      :set ($vpnaasOurs->[/ip ipsec peer get $vpnaasId name]) true
    }
    :foreach vpnaasId in=[/ip ipsec peer find] do={
      :local vpnaasName [/ip ipsec peer get $vpnaasId name]
      :if ([:typeof ($vpnaasNeeded->$vpnaasName)] != "nothing") do={
        :if ([:typeof ($vpnaasOurs->$vpnaasName)] = "nothing") do={
          :set vpnaasTaken ($vpnaasTaken . " /ip ipsec peer " . $vpnaasName . ";")
        }
      }
    }
  }
  {
    :local vpnaasNeeded [:toarray ""]
    :local vpnaasOurs [:toarray ""]
    :set ($vpnaasNeeded->"gre-acme-bru-r1") true
    :set ($vpnaasNeeded->"gre-acme-ghe-r1") true
    :set ($vpnaasNeeded->"gre-dc1-r1") true
    :set ($vpnaasNeeded->"gre-dc1-r2") true
    :foreach vpnaasId in=[/interface gre find where comment~"^vpnaas:"] do={
      :set ($vpnaasOurs->[/interface gre get $vpnaasId name]) true
    }
    :foreach vpnaasId in=[/interface gre find] do={
      :local vpnaasName [/interface gre get $vpnaasId name]
      :if ([:typeof ($vpnaasNeeded->$vpnaasName)] != "nothing") do={
        :if ([:typeof ($vpnaasOurs->$vpnaasName)] = "nothing") do={
          :set vpnaasTaken ($vpnaasTaken . " /interface gre " . $vpnaasName . ";")
        }
      }
    }
  }
  {
    :local vpnaasNeeded [:toarray ""]
    :local vpnaasOurs [:toarray ""]
    :set ($vpnaasNeeded->"vpnaas-tunnels") true
    :foreach vpnaasId in=[/interface list find where comment~"^vpnaas:"] do={
      :set ($vpnaasOurs->[/interface list get $vpnaasId name]) true
    }
    :foreach vpnaasId in=[/interface list find] do={
      :local vpnaasName [/interface list get $vpnaasId name]
      :if ([:typeof ($vpnaasNeeded->$vpnaasName)] != "nothing") do={
        :if ([:typeof ($vpnaasOurs->$vpnaasName)] = "nothing") do={
          :set vpnaasTaken ($vpnaasTaken . " /interface list " . $vpnaasName . ";")
        }
      }
    }
  }
  :if ([:len $vpnaasTaken] > 0) do={
    :error ("vpnaas: nothing was changed: these names are held by items vpnaas does not manage:" . $vpnaasTaken . " rename or remove them, then import again")
  }
}
# Remove what vpnaas added earlier and the inventory no longer wants.
{
  :local vpnaasWanted [:toarray ""]
  :set ($vpnaasWanted->"vpnaas:route:acme/antwerp~acme/ghent:192.168.30.0/24") true
  :set ($vpnaasWanted->"gre-acme-bru-r1") true
  :set ($vpnaasWanted->"gre-dc1-r1") true
  :set ($vpnaasWanted->"gre-dc1-r2") true
  :set ($vpnaasWanted->"vpnaas:ospf-network:acme/antwerp~acme/brussels") true
  :set ($vpnaasWanted->"vpnaas:ospf-network:acme/antwerp~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:ospf-network:acme/antwerp~dc1/dc1-r2") true
  :set ($vpnaasWanted->"vpnaas-acme") true
  :set ($vpnaasWanted->"vpnaas-acme") true
  :set ($vpnaasWanted->"vpnaas:ospf-filter:acme:192.168.20.0/24") true
  :set ($vpnaasWanted->"vpnaas:ospf-filter:acme:192.168.21.0/24") true
  :set ($vpnaasWanted->"vpnaas:ospf-filter:acme:discard") true
  :set ($vpnaasWanted->"vpnaas:filter:ike") true
  :set ($vpnaasWanted->"vpnaas:filter:esp") true
  :set ($vpnaasWanted->"vpnaas:filter:gre") true
  :set ($vpnaasWanted->"vpnaas:filter:ospf") true
  :set ($vpnaasWanted->"vpnaas:filter:forward-in") true
  :set ($vpnaasWanted->"vpnaas:filter:forward-out") true
  :set ($vpnaasWanted->"vpnaas:peer-address:acme/antwerp~acme/brussels") true
  :set ($vpnaasWanted->"vpnaas:peer-address:acme/antwerp~acme/ghent") true
  :set ($vpnaasWanted->"vpnaas:peer-address:acme/antwerp~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:peer-address:acme/antwerp~dc1/dc1-r2") true
  :set ($vpnaasWanted->"vpnaas:local-network:192.168.20.0/24") true
  :set ($vpnaasWanted->"vpnaas:local-network:192.168.21.0/24") true
  :set ($vpnaasWanted->"vpnaas:address:acme/antwerp~acme/brussels") true
  :set ($vpnaasWanted->"vpnaas:address:acme/antwerp~acme/ghent") true
  :set ($vpnaasWanted->"vpnaas:address:acme/antwerp~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:address:acme/antwerp~dc1/dc1-r2") true
  :set ($vpnaasWanted->"vpnaas:interface-list-member:acme/antwerp~acme/brussels") true
  :set ($vpnaasWanted->"vpnaas:interface-list-member:acme/antwerp~acme/ghent") true
  :set ($vpnaasWanted->"vpnaas:interface-list-member:acme/antwerp~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:interface-list-member:acme/antwerp~dc1/dc1-r2") true
  :set ($vpnaasWanted->"vpnaas:interface-list:tunnels") true
  :set ($vpnaasWanted->"vpnaas:gre:acme/antwerp~acme/brussels") true
  :set ($vpnaasWanted->"vpnaas:gre:acme/antwerp~acme/ghent") true
  :set ($vpnaasWanted->"vpnaas:gre:acme/antwerp~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:gre:acme/antwerp~dc1/dc1-r2") true
  :set ($vpnaasWanted->"vpnaas:policy:acme/antwerp~acme/brussels") true
  :set ($vpnaasWanted->"vpnaas:policy:acme/antwerp~acme/ghent") true
  :set ($vpnaasWanted->"vpnaas:policy:acme/antwerp~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:policy:acme/antwerp~dc1/dc1-r2") true
  :set ($vpnaasWanted->"vpnaas:identity:acme/antwerp~acme/brussels") true
  :set ($vpnaasWanted->"vpnaas:identity:acme/antwerp~acme/ghent") true
  :set ($vpnaasWanted->"vpnaas:identity:acme/antwerp~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:identity:acme/antwerp~dc1/dc1-r2") true
  :set ($vpnaasWanted->"vpnaas:peer:acme/antwerp~acme/brussels") true
  :set ($vpnaasWanted->"vpnaas:peer:acme/antwerp~acme/ghent") true
  :set ($vpnaasWanted->"vpnaas:peer:acme/antwerp~dc1/dc1-r1") true
  :set ($vpnaasWanted->"vpnaas:peer:acme/antwerp~dc1/dc1-r2") true
  :foreach vpnaasId in=[/ip route find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/ip route get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasKey)] = "nothing") do={
      /ip route remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/routing ospf interface find where interface~"^gre-"] do={
    :local vpnaasKey [/routing ospf interface get $vpnaasId interface]
    :if ([:typeof ($vpnaasWanted->$vpnaasKey)] = "nothing") do={
      /routing ospf interface remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/routing ospf network find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/routing ospf network get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasKey)] = "nothing") do={
      /routing ospf network remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/routing ospf area find where name~"^vpnaas-"] do={
    :local vpnaasKey [/routing ospf area get $vpnaasId name]
    :if ([:typeof ($vpnaasWanted->$vpnaasKey)] = "nothing") do={
      /routing ospf area remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/routing ospf instance find where name~"^vpnaas-"] do={
    :local vpnaasKey [/routing ospf instance get $vpnaasId name]
    :if ([:typeof ($vpnaasWanted->$vpnaasKey)] = "nothing") do={
      /routing ospf instance remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/routing filter find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/routing filter get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasKey)] = "nothing") do={
      /routing filter remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip firewall filter find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/ip firewall filter get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasKey)] = "nothing") do={
      /ip firewall filter remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip firewall address-list find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/ip firewall address-list get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasKey)] = "nothing") do={
      /ip firewall address-list remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip address find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/ip address get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasKey)] = "nothing") do={
      /ip address remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/interface list member find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/interface list member get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasKey)] = "nothing") do={
      /interface list member remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/interface list find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/interface list get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasKey)] = "nothing") do={
      /interface list remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/interface gre find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/interface gre get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasKey)] = "nothing") do={
      /interface gre remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip ipsec policy find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/ip ipsec policy get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasKey)] = "nothing") do={
      /ip ipsec policy remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip ipsec identity find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/ip ipsec identity get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasKey)] = "nothing") do={
      /ip ipsec identity remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip ipsec peer find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/ip ipsec peer get $vpnaasId comment]
    :if ([:typeof ($vpnaasWanted->$vpnaasKey)] = "nothing") do={
      /ip ipsec peer remove $vpnaasId
    }
  }
}
# /ip ipsec profile: IKE phase 1 per crypto suite
{
  :local vpnaasIds [:toarray ""]
  :foreach vpnaasId in=[/ip ipsec profile find where name~"^vpnaas-"] do={
    :set ($vpnaasIds->[/ip ipsec profile get $vpnaasId name]) $vpnaasId
  }
  :if ([:typeof ($vpnaasIds->"vpnaas-strong")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas-strong") [/ip ipsec profile add name="vpnaas-strong" hash-algorithm="sha256" enc-algorithm="aes-256" dh-group="modp2048" lifetime=1d]
  } else={
    /ip ipsec profile set ($vpnaasIds->"vpnaas-strong") name="vpnaas-strong" hash-algorithm="sha256" enc-algorithm="aes-256" dh-group="modp2048" lifetime=1d
  }
}
# /ip ipsec proposal: ESP phase 2 per crypto suite
{
  :local vpnaasIds [:toarray ""]
  :foreach vpnaasId in=[/ip ipsec proposal find where name~"^vpnaas-"] do={
    :set ($vpnaasIds->[/ip ipsec proposal get $vpnaasId name]) $vpnaasId
  }
  :if ([:typeof ($vpnaasIds->"vpnaas-strong")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas-strong") [/ip ipsec proposal add name="vpnaas-strong" auth-algorithms="sha256" enc-algorithms="aes-256-cbc" pfs-group="modp2048" lifetime=8h comment="vpnaas:proposal:strong"]
  } else={
    /ip ipsec proposal set ($vpnaasIds->"vpnaas-strong") name="vpnaas-strong" auth-algorithms="sha256" enc-algorithms="aes-256-cbc" pfs-group="modp2048" lifetime=8h comment="vpnaas:proposal:strong"
  }
}
# /ip ipsec peer: IKEv2 peer per tunnel
{
  :local vpnaasIds [:toarray ""]
  :foreach vpnaasId in=[/ip ipsec peer find where comment~"^vpnaas:"] do={
    :set ($vpnaasIds->[/ip ipsec peer get $vpnaasId comment]) $vpnaasId
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:peer:acme/antwerp~acme/brussels")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:peer:acme/antwerp~acme/brussels") [/ip ipsec peer add name="vpnaas-acme-bru-r1" address=192.0.2.10/32 local-address=192.0.2.20 exchange-mode=ike2 profile="vpnaas-strong" comment="vpnaas:peer:acme/antwerp~acme/brussels"]
  } else={
    /ip ipsec peer set ($vpnaasIds->"vpnaas:peer:acme/antwerp~acme/brussels") name="vpnaas-acme-bru-r1" address=192.0.2.10/32 local-address=192.0.2.20 exchange-mode=ike2 profile="vpnaas-strong"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:peer:acme/antwerp~acme/ghent")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:peer:acme/antwerp~acme/ghent") [/ip ipsec peer add name="vpnaas-acme-ghe-r1" address=192.0.2.30/32 local-address=192.0.2.20 exchange-mode=ike2 profile="vpnaas-strong" comment="vpnaas:peer:acme/antwerp~acme/ghent"]
  } else={
    /ip ipsec peer set ($vpnaasIds->"vpnaas:peer:acme/antwerp~acme/ghent") name="vpnaas-acme-ghe-r1" address=192.0.2.30/32 local-address=192.0.2.20 exchange-mode=ike2 profile="vpnaas-strong"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:peer:acme/antwerp~dc1/dc1-r1")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:peer:acme/antwerp~dc1/dc1-r1") [/ip ipsec peer add name="vpnaas-dc1-r1" address=203.0.113.1/32 local-address=192.0.2.20 exchange-mode=ike2 profile="vpnaas-strong" comment="vpnaas:peer:acme/antwerp~dc1/dc1-r1"]
  } else={
    /ip ipsec peer set ($vpnaasIds->"vpnaas:peer:acme/antwerp~dc1/dc1-r1") name="vpnaas-dc1-r1" address=203.0.113.1/32 local-address=192.0.2.20 exchange-mode=ike2 profile="vpnaas-strong"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:peer:acme/antwerp~dc1/dc1-r2")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:peer:acme/antwerp~dc1/dc1-r2") [/ip ipsec peer add name="vpnaas-dc1-r2" address=203.0.113.2/32 local-address=192.0.2.20 exchange-mode=ike2 profile="vpnaas-strong" comment="vpnaas:peer:acme/antwerp~dc1/dc1-r2"]
  } else={
    /ip ipsec peer set ($vpnaasIds->"vpnaas:peer:acme/antwerp~dc1/dc1-r2") name="vpnaas-dc1-r2" address=203.0.113.2/32 local-address=192.0.2.20 exchange-mode=ike2 profile="vpnaas-strong"
  }
}
# /ip ipsec identity: pre-shared key per tunnel
{
  :local vpnaasIds [:toarray ""]
  :foreach vpnaasId in=[/ip ipsec identity find where comment~"^vpnaas:"] do={
    :set ($vpnaasIds->[/ip ipsec identity get $vpnaasId comment]) $vpnaasId
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:identity:acme/antwerp~acme/brussels")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:identity:acme/antwerp~acme/brussels") [/ip ipsec identity add peer="vpnaas-acme-bru-r1" auth-method=pre-shared-key secret="a37185b878ca312a8d427ae6c6c83706706abf59ad6af19a1c2274107e4857a2" comment="vpnaas:identity:acme/antwerp~acme/brussels"]
  } else={
    /ip ipsec identity set ($vpnaasIds->"vpnaas:identity:acme/antwerp~acme/brussels") peer="vpnaas-acme-bru-r1" auth-method=pre-shared-key secret="a37185b878ca312a8d427ae6c6c83706706abf59ad6af19a1c2274107e4857a2"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:identity:acme/antwerp~acme/ghent")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:identity:acme/antwerp~acme/ghent") [/ip ipsec identity add peer="vpnaas-acme-ghe-r1" auth-method=pre-shared-key secret="9ceb4c5e025ffd18ddd869bc50ff47c59c4709de1dd60eb9366d0230312f9318" comment="vpnaas:identity:acme/antwerp~acme/ghent"]
  } else={
    /ip ipsec identity set ($vpnaasIds->"vpnaas:identity:acme/antwerp~acme/ghent") peer="vpnaas-acme-ghe-r1" auth-method=pre-shared-key secret="9ceb4c5e025ffd18ddd869bc50ff47c59c4709de1dd60eb9366d0230312f9318"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:identity:acme/antwerp~dc1/dc1-r1")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:identity:acme/antwerp~dc1/dc1-r1") [/ip ipsec identity add peer="vpnaas-dc1-r1" auth-method=pre-shared-key secret="523d26fbaa47f8340a49a4439ebd82d836e847afffe79e70b5bce357b0e89468" comment="vpnaas:identity:acme/antwerp~dc1/dc1-r1"]
  } else={
    /ip ipsec identity set ($vpnaasIds->"vpnaas:identity:acme/antwerp~dc1/dc1-r1") peer="vpnaas-dc1-r1" auth-method=pre-shared-key secret="523d26fbaa47f8340a49a4439ebd82d836e847afffe79e70b5bce357b0e89468"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:identity:acme/antwerp~dc1/dc1-r2")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:identity:acme/antwerp~dc1/dc1-r2") [/ip ipsec identity add peer="vpnaas-dc1-r2" auth-method=pre-shared-key secret="38c168afb31922e488b749ba4364b0ecc49c4fdefe6de3bfd40d623524697e78" comment="vpnaas:identity:acme/antwerp~dc1/dc1-r2"]
  } else={
    /ip ipsec identity set ($vpnaasIds->"vpnaas:identity:acme/antwerp~dc1/dc1-r2") peer="vpnaas-dc1-r2" auth-method=pre-shared-key secret="38c168afb31922e488b749ba4364b0ecc49c4fdefe6de3bfd40d623524697e78"
  }
}
# /ip ipsec policy: transport-mode policy for GRE per tunnel
{
  :local vpnaasIds [:toarray ""]
  :foreach vpnaasId in=[/ip ipsec policy find where comment~"^vpnaas:"] do={
    :set ($vpnaasIds->[/ip ipsec policy get $vpnaasId comment]) $vpnaasId
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:policy:acme/antwerp~acme/brussels")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:policy:acme/antwerp~acme/brussels") [/ip ipsec policy add src-address=192.0.2.20/32 dst-address=192.0.2.10/32 protocol=gre tunnel=no action=encrypt level=require ipsec-protocols=esp proposal="vpnaas-strong" peer="vpnaas-acme-bru-r1" comment="vpnaas:policy:acme/antwerp~acme/brussels"]
  } else={
    /ip ipsec policy set ($vpnaasIds->"vpnaas:policy:acme/antwerp~acme/brussels") src-address=192.0.2.20/32 dst-address=192.0.2.10/32 protocol=gre tunnel=no action=encrypt level=require ipsec-protocols=esp proposal="vpnaas-strong" peer="vpnaas-acme-bru-r1"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:policy:acme/antwerp~acme/ghent")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:policy:acme/antwerp~acme/ghent") [/ip ipsec policy add src-address=192.0.2.20/32 dst-address=192.0.2.30/32 protocol=gre tunnel=no action=encrypt level=require ipsec-protocols=esp proposal="vpnaas-strong" peer="vpnaas-acme-ghe-r1" comment="vpnaas:policy:acme/antwerp~acme/ghent"]
  } else={
    /ip ipsec policy set ($vpnaasIds->"vpnaas:policy:acme/antwerp~acme/ghent") src-address=192.0.2.20/32 dst-address=192.0.2.30/32 protocol=gre tunnel=no action=encrypt level=require ipsec-protocols=esp proposal="vpnaas-strong" peer="vpnaas-acme-ghe-r1"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:policy:acme/antwerp~dc1/dc1-r1")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:policy:acme/antwerp~dc1/dc1-r1") [/ip ipsec policy add src-address=192.0.2.20/32 dst-address=203.0.113.1/32 protocol=gre tunnel=no action=encrypt level=require ipsec-protocols=esp proposal="vpnaas-strong" peer="vpnaas-dc1-r1" comment="vpnaas:policy:acme/antwerp~dc1/dc1-r1"]
  } else={
    /ip ipsec policy set ($vpnaasIds->"vpnaas:policy:acme/antwerp~dc1/dc1-r1") src-address=192.0.2.20/32 dst-address=203.0.113.1/32 protocol=gre tunnel=no action=encrypt level=require ipsec-protocols=esp proposal="vpnaas-strong" peer="vpnaas-dc1-r1"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:policy:acme/antwerp~dc1/dc1-r2")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:policy:acme/antwerp~dc1/dc1-r2") [/ip ipsec policy add src-address=192.0.2.20/32 dst-address=203.0.113.2/32 protocol=gre tunnel=no action=encrypt level=require ipsec-protocols=esp proposal="vpnaas-strong" peer="vpnaas-dc1-r2" comment="vpnaas:policy:acme/antwerp~dc1/dc1-r2"]
  } else={
    /ip ipsec policy set ($vpnaasIds->"vpnaas:policy:acme/antwerp~dc1/dc1-r2") src-address=192.0.2.20/32 dst-address=203.0.113.2/32 protocol=gre tunnel=no action=encrypt level=require ipsec-protocols=esp proposal="vpnaas-strong" peer="vpnaas-dc1-r2"
  }
}
# /interface gre: GRE interface per tunnel
{
  :local vpnaasIds [:toarray ""]
  :foreach vpnaasId in=[/interface gre find where comment~"^vpnaas:"] do={
    :set ($vpnaasIds->[/interface gre get $vpnaasId comment]) $vpnaasId
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:gre:acme/antwerp~acme/brussels")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:gre:acme/antwerp~acme/brussels") [/interface gre add name="gre-acme-bru-r1" local-address=192.0.2.20 remote-address=192.0.2.10 mtu=1400 allow-fast-path=no comment="vpnaas:gre:acme/antwerp~acme/brussels"]
  } else={
    /interface gre set ($vpnaasIds->"vpnaas:gre:acme/antwerp~acme/brussels") name="gre-acme-bru-r1" local-address=192.0.2.20 remote-address=192.0.2.10 mtu=1400 allow-fast-path=no
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:gre:acme/antwerp~acme/ghent")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:gre:acme/antwerp~acme/ghent") [/interface gre add name="gre-acme-ghe-r1" local-address=192.0.2.20 remote-address=192.0.2.30 mtu=1400 allow-fast-path=no comment="vpnaas:gre:acme/antwerp~acme/ghent"]
  } else={
    /interface gre set ($vpnaasIds->"vpnaas:gre:acme/antwerp~acme/ghent") name="gre-acme-ghe-r1" local-address=192.0.2.20 remote-address=192.0.2.30 mtu=1400 allow-fast-path=no
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:gre:acme/antwerp~dc1/dc1-r1")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:gre:acme/antwerp~dc1/dc1-r1") [/interface gre add name="gre-dc1-r1" local-address=192.0.2.20 remote-address=203.0.113.1 mtu=1400 allow-fast-path=no comment="vpnaas:gre:acme/antwerp~dc1/dc1-r1"]
  } else={
    /interface gre set ($vpnaasIds->"vpnaas:gre:acme/antwerp~dc1/dc1-r1") name="gre-dc1-r1" local-address=192.0.2.20 remote-address=203.0.113.1 mtu=1400 allow-fast-path=no
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:gre:acme/antwerp~dc1/dc1-r2")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:gre:acme/antwerp~dc1/dc1-r2") [/interface gre add name="gre-dc1-r2" local-address=192.0.2.20 remote-address=203.0.113.2 mtu=1400 allow-fast-path=no comment="vpnaas:gre:acme/antwerp~dc1/dc1-r2"]
  } else={
    /interface gre set ($vpnaasIds->"vpnaas:gre:acme/antwerp~dc1/dc1-r2") name="gre-dc1-r2" local-address=192.0.2.20 remote-address=203.0.113.2 mtu=1400 allow-fast-path=no
  }
}
# /interface list: the tunnel interfaces, for firewall rules
{
  :local vpnaasIds [:toarray ""]
  :foreach vpnaasId in=[/interface list find where comment~"^vpnaas:"] do={
    :set ($vpnaasIds->[/interface list get $vpnaasId comment]) $vpnaasId
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:interface-list:tunnels")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:interface-list:tunnels") [/interface list add name="vpnaas-tunnels" comment="vpnaas:interface-list:tunnels"]
  } else={
    /interface list set ($vpnaasIds->"vpnaas:interface-list:tunnels") name="vpnaas-tunnels"
  }
}
# /interface list member: tunnel interface list members
{
  :local vpnaasIds [:toarray ""]
  :foreach vpnaasId in=[/interface list member find where comment~"^vpnaas:"] do={
    :set ($vpnaasIds->[/interface list member get $vpnaasId comment]) $vpnaasId
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:interface-list-member:acme/antwerp~acme/brussels")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:interface-list-member:acme/antwerp~acme/brussels") [/interface list member add list="vpnaas-tunnels" interface="gre-acme-bru-r1" comment="vpnaas:interface-list-member:acme/antwerp~acme/brussels"]
  } else={
    /interface list member set ($vpnaasIds->"vpnaas:interface-list-member:acme/antwerp~acme/brussels") list="vpnaas-tunnels" interface="gre-acme-bru-r1"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:interface-list-member:acme/antwerp~acme/ghent")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:interface-list-member:acme/antwerp~acme/ghent") [/interface list member add list="vpnaas-tunnels" interface="gre-acme-ghe-r1" comment="vpnaas:interface-list-member:acme/antwerp~acme/ghent"]
  } else={
    /interface list member set ($vpnaasIds->"vpnaas:interface-list-member:acme/antwerp~acme/ghent") list="vpnaas-tunnels" interface="gre-acme-ghe-r1"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:interface-list-member:acme/antwerp~dc1/dc1-r1")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:interface-list-member:acme/antwerp~dc1/dc1-r1") [/interface list member add list="vpnaas-tunnels" interface="gre-dc1-r1" comment="vpnaas:interface-list-member:acme/antwerp~dc1/dc1-r1"]
  } else={
    /interface list member set ($vpnaasIds->"vpnaas:interface-list-member:acme/antwerp~dc1/dc1-r1") list="vpnaas-tunnels" interface="gre-dc1-r1"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:interface-list-member:acme/antwerp~dc1/dc1-r2")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:interface-list-member:acme/antwerp~dc1/dc1-r2") [/interface list member add list="vpnaas-tunnels" interface="gre-dc1-r2" comment="vpnaas:interface-list-member:acme/antwerp~dc1/dc1-r2"]
  } else={
    /interface list member set ($vpnaasIds->"vpnaas:interface-list-member:acme/antwerp~dc1/dc1-r2") list="vpnaas-tunnels" interface="gre-dc1-r2"
  }
}
# /ip address: transit address per tunnel
{
  :local vpnaasIds [:toarray ""]
  :foreach vpnaasId in=[/ip address find where comment~"^vpnaas:"] do={
    :set ($vpnaasIds->[/ip address get $vpnaasId comment]) $vpnaasId
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:address:acme/antwerp~acme/brussels")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:address:acme/antwerp~acme/brussels") [/ip address add address=10.255.0.1/30 interface="gre-acme-bru-r1" comment="vpnaas:address:acme/antwerp~acme/brussels"]
  } else={
    /ip address set ($vpnaasIds->"vpnaas:address:acme/antwerp~acme/brussels") address=10.255.0.1/30 interface="gre-acme-bru-r1"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:address:acme/antwerp~acme/ghent")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:address:acme/antwerp~acme/ghent") [/ip address add address=10.255.0.5/30 interface="gre-acme-ghe-r1" comment="vpnaas:address:acme/antwerp~acme/ghent"]
  } else={
    /ip address set ($vpnaasIds->"vpnaas:address:acme/antwerp~acme/ghent") address=10.255.0.5/30 interface="gre-acme-ghe-r1"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:address:acme/antwerp~dc1/dc1-r1")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:address:acme/antwerp~dc1/dc1-r1") [/ip address add address=10.255.0.9/30 interface="gre-dc1-r1" comment="vpnaas:address:acme/antwerp~dc1/dc1-r1"]
  } else={
    /ip address set ($vpnaasIds->"vpnaas:address:acme/antwerp~dc1/dc1-r1") address=10.255.0.9/30 interface="gre-dc1-r1"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:address:acme/antwerp~dc1/dc1-r2")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:address:acme/antwerp~dc1/dc1-r2") [/ip address add address=10.255.0.13/30 interface="gre-dc1-r2" comment="vpnaas:address:acme/antwerp~dc1/dc1-r2"]
  } else={
    /ip address set ($vpnaasIds->"vpnaas:address:acme/antwerp~dc1/dc1-r2") address=10.255.0.13/30 interface="gre-dc1-r2"
  }
}
# /ip firewall address-list: public addresses of tunnel peers, and this router's own networks
{
  :local vpnaasIds [:toarray ""]
  :foreach vpnaasId in=[/ip firewall address-list find where comment~"^vpnaas:"] do={
    :set ($vpnaasIds->[/ip firewall address-list get $vpnaasId comment]) $vpnaasId
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:peer-address:acme/antwerp~acme/brussels")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:peer-address:acme/antwerp~acme/brussels") [/ip firewall address-list add list="vpnaas-peers" address=192.0.2.10 comment="vpnaas:peer-address:acme/antwerp~acme/brussels"]
  } else={
    /ip firewall address-list set ($vpnaasIds->"vpnaas:peer-address:acme/antwerp~acme/brussels") list="vpnaas-peers" address=192.0.2.10
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:peer-address:acme/antwerp~acme/ghent")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:peer-address:acme/antwerp~acme/ghent") [/ip firewall address-list add list="vpnaas-peers" address=192.0.2.30 comment="vpnaas:peer-address:acme/antwerp~acme/ghent"]
  } else={
    /ip firewall address-list set ($vpnaasIds->"vpnaas:peer-address:acme/antwerp~acme/ghent") list="vpnaas-peers" address=192.0.2.30
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:peer-address:acme/antwerp~dc1/dc1-r1")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:peer-address:acme/antwerp~dc1/dc1-r1") [/ip firewall address-list add list="vpnaas-peers" address=203.0.113.1 comment="vpnaas:peer-address:acme/antwerp~dc1/dc1-r1"]
  } else={
    /ip firewall address-list set ($vpnaasIds->"vpnaas:peer-address:acme/antwerp~dc1/dc1-r1") list="vpnaas-peers" address=203.0.113.1
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:peer-address:acme/antwerp~dc1/dc1-r2")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:peer-address:acme/antwerp~dc1/dc1-r2") [/ip firewall address-list add list="vpnaas-peers" address=203.0.113.2 comment="vpnaas:peer-address:acme/antwerp~dc1/dc1-r2"]
  } else={
    /ip firewall address-list set ($vpnaasIds->"vpnaas:peer-address:acme/antwerp~dc1/dc1-r2") list="vpnaas-peers" address=203.0.113.2
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:local-network:192.168.20.0/24")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:local-network:192.168.20.0/24") [/ip firewall address-list add list="vpnaas-local" address=192.168.20.0/24 comment="vpnaas:local-network:192.168.20.0/24"]
  } else={
    /ip firewall address-list set ($vpnaasIds->"vpnaas:local-network:192.168.20.0/24") list="vpnaas-local" address=192.168.20.0/24
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:local-network:192.168.21.0/24")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:local-network:192.168.21.0/24") [/ip firewall address-list add list="vpnaas-local" address=192.168.21.0/24 comment="vpnaas:local-network:192.168.21.0/24"]
  } else={
    /ip firewall address-list set ($vpnaasIds->"vpnaas:local-network:192.168.21.0/24") list="vpnaas-local" address=192.168.21.0/24
  }
}
# /ip firewall filter: accept IKE, ESP, GRE under IPsec, and LAN traffic through the tunnels, before the first rule that drops
{
  :local vpnaasIds [:toarray ""]
  :foreach vpnaasId in=[/ip firewall filter find where comment~"^vpnaas:"] do={
    :set ($vpnaasIds->[/ip firewall filter get $vpnaasId comment]) $vpnaasId
  }
  :local vpnaasDropping [:toarray ""]
  :local vpnaasFirstDrop [:toarray ""]
  :foreach vpnaasId in=[/ip firewall filter find where dynamic=no] do={
    :local vpnaasAction [/ip firewall filter get $vpnaasId action]
    :if ($vpnaasAction = "drop" or $vpnaasAction = "reject" or $vpnaasAction = "tarpit") do={
      :set ($vpnaasDropping->[/ip firewall filter get $vpnaasId chain]) true
    }
  }
  :foreach vpnaasId in=[/ip firewall filter find where dynamic=no] do={
    :local vpnaasChain [/ip firewall filter get $vpnaasId chain]
    :if ([:typeof ($vpnaasFirstDrop->$vpnaasChain)] = "nothing") do={
      :local vpnaasAction [/ip firewall filter get $vpnaasId action]
      :local vpnaasDrops ($vpnaasAction = "drop" or $vpnaasAction = "reject" or $vpnaasAction = "tarpit")
      :if ($vpnaasAction = "jump") do={
        :if ([:typeof ($vpnaasDropping->[/ip firewall filter get $vpnaasId jump-target])] != "nothing") do={
          :set vpnaasDrops true
        }
      }
      :if ($vpnaasDrops) do={
        :set ($vpnaasFirstDrop->$vpnaasChain) $vpnaasId
      }
    }
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:filter:ike")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:filter:ike") [/ip firewall filter add chain=input action=accept protocol=udp dst-port=500,4500 src-address-list="vpnaas-peers" comment="vpnaas:filter:ike"]
  } else={
    /ip firewall filter set ($vpnaasIds->"vpnaas:filter:ike") chain=input action=accept protocol=udp dst-port=500,4500 src-address-list="vpnaas-peers"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:filter:esp")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:filter:esp") [/ip firewall filter add chain=input action=accept protocol=ipsec-esp src-address-list="vpnaas-peers" comment="vpnaas:filter:esp"]
  } else={
    /ip firewall filter set ($vpnaasIds->"vpnaas:filter:esp") chain=input action=accept protocol=ipsec-esp src-address-list="vpnaas-peers"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:filter:gre")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:filter:gre") [/ip firewall filter add chain=input action=accept protocol=gre ipsec-policy=in,ipsec src-address-list="vpnaas-peers" comment="vpnaas:filter:gre"]
  } else={
    /ip firewall filter set ($vpnaasIds->"vpnaas:filter:gre") chain=input action=accept protocol=gre ipsec-policy=in,ipsec src-address-list="vpnaas-peers"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:filter:ospf")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:filter:ospf") [/ip firewall filter add chain=input action=accept protocol=ospf in-interface-list="vpnaas-tunnels" comment="vpnaas:filter:ospf"]
  } else={
    /ip firewall filter set ($vpnaasIds->"vpnaas:filter:ospf") chain=input action=accept protocol=ospf in-interface-list="vpnaas-tunnels"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:filter:forward-in")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:filter:forward-in") [/ip firewall filter add chain=forward action=accept in-interface-list="vpnaas-tunnels" dst-address-list="vpnaas-local" comment="vpnaas:filter:forward-in"]
  } else={
    /ip firewall filter set ($vpnaasIds->"vpnaas:filter:forward-in") chain=forward action=accept in-interface-list="vpnaas-tunnels" dst-address-list="vpnaas-local"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:filter:forward-out")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:filter:forward-out") [/ip firewall filter add chain=forward action=accept out-interface-list="vpnaas-tunnels" src-address-list="vpnaas-local" comment="vpnaas:filter:forward-out"]
  } else={
    /ip firewall filter set ($vpnaasIds->"vpnaas:filter:forward-out") chain=forward action=accept out-interface-list="vpnaas-tunnels" src-address-list="vpnaas-local"
  }
  :if ([:typeof ($vpnaasFirstDrop->"forward")] != "nothing") do={
    /ip firewall filter move ($vpnaasIds->"vpnaas:filter:forward-out") ($vpnaasFirstDrop->"forward")
    /ip firewall filter move ($vpnaasIds->"vpnaas:filter:forward-in") ($vpnaasIds->"vpnaas:filter:forward-out")
  }
  :if ([:typeof ($vpnaasFirstDrop->"input")] != "nothing") do={
    /ip firewall filter move ($vpnaasIds->"vpnaas:filter:ospf") ($vpnaasFirstDrop->"input")
    /ip firewall filter move ($vpnaasIds->"vpnaas:filter:gre") ($vpnaasIds->"vpnaas:filter:ospf")
    /ip firewall filter move ($vpnaasIds->"vpnaas:filter:esp") ($vpnaasIds->"vpnaas:filter:gre")
    /ip firewall filter move ($vpnaasIds->"vpnaas:filter:ike") ($vpnaasIds->"vpnaas:filter:esp")
  }
}
# /routing filter: local networks announced per customer
{
  :local vpnaasIds [:toarray ""]
  :foreach vpnaasId in=[/routing filter find where comment~"^vpnaas:"] do={
    :set ($vpnaasIds->[/routing filter get $vpnaasId comment]) $vpnaasId
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:ospf-filter:acme:192.168.20.0/24")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:ospf-filter:acme:192.168.20.0/24") [/routing filter add chain="vpnaas-acme" prefix=192.168.20.0/24 action=accept comment="vpnaas:ospf-filter:acme:192.168.20.0/24"]
  } else={
    /routing filter set ($vpnaasIds->"vpnaas:ospf-filter:acme:192.168.20.0/24") chain="vpnaas-acme" prefix=192.168.20.0/24 action=accept
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:ospf-filter:acme:192.168.21.0/24")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:ospf-filter:acme:192.168.21.0/24") [/routing filter add chain="vpnaas-acme" prefix=192.168.21.0/24 action=accept comment="vpnaas:ospf-filter:acme:192.168.21.0/24"]
  } else={
    /routing filter set ($vpnaasIds->"vpnaas:ospf-filter:acme:192.168.21.0/24") chain="vpnaas-acme" prefix=192.168.21.0/24 action=accept
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:ospf-filter:acme:discard")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:ospf-filter:acme:discard") [/routing filter add chain="vpnaas-acme" action=discard comment="vpnaas:ospf-filter:acme:discard"]
  } else={
    /routing filter set ($vpnaasIds->"vpnaas:ospf-filter:acme:discard") chain="vpnaas-acme" action=discard
  }
  /routing filter move ($vpnaasIds->"vpnaas:ospf-filter:acme:discard")
}
# /routing ospf instance: OSPF instance per customer
{
  :local vpnaasIds [:toarray ""]
  :foreach vpnaasId in=[/routing ospf instance find where name~"^vpnaas-"] do={
    :set ($vpnaasIds->[/routing ospf instance get $vpnaasId name]) $vpnaasId
  }
  :if ([:typeof ($vpnaasIds->"vpnaas-acme")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas-acme") [/routing ospf instance add name="vpnaas-acme" router-id=10.1.0.2 redistribute-connected=as-type-1 out-filter="vpnaas-acme"]
  } else={
    /routing ospf instance set ($vpnaasIds->"vpnaas-acme") name="vpnaas-acme" router-id=10.1.0.2 redistribute-connected=as-type-1 out-filter="vpnaas-acme"
  }
}
# /routing ospf area: OSPF area per customer
{
  :local vpnaasIds [:toarray ""]
  :foreach vpnaasId in=[/routing ospf area find where name~"^vpnaas-"] do={
    :set ($vpnaasIds->[/routing ospf area get $vpnaasId name]) $vpnaasId
  }
  :if ([:typeof ($vpnaasIds->"vpnaas-acme")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas-acme") [/routing ospf area add name="vpnaas-acme" area-id="0.0.0.0" instance="vpnaas-acme"]
  } else={
    /routing ospf area set ($vpnaasIds->"vpnaas-acme") name="vpnaas-acme" area-id="0.0.0.0" instance="vpnaas-acme"
  }
}
# /routing ospf network: tunnel transit networks
{
  :local vpnaasIds [:toarray ""]
  :foreach vpnaasId in=[/routing ospf network find where comment~"^vpnaas:"] do={
    :set ($vpnaasIds->[/routing ospf network get $vpnaasId comment]) $vpnaasId
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:ospf-network:acme/antwerp~acme/brussels")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:ospf-network:acme/antwerp~acme/brussels") [/routing ospf network add network=10.255.0.0/30 area="vpnaas-acme" comment="vpnaas:ospf-network:acme/antwerp~acme/brussels"]
  } else={
    /routing ospf network set ($vpnaasIds->"vpnaas:ospf-network:acme/antwerp~acme/brussels") network=10.255.0.0/30 area="vpnaas-acme"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:ospf-network:acme/antwerp~dc1/dc1-r1")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:ospf-network:acme/antwerp~dc1/dc1-r1") [/routing ospf network add network=10.255.0.8/30 area="vpnaas-acme" comment="vpnaas:ospf-network:acme/antwerp~dc1/dc1-r1"]
  } else={
    /routing ospf network set ($vpnaasIds->"vpnaas:ospf-network:acme/antwerp~dc1/dc1-r1") network=10.255.0.8/30 area="vpnaas-acme"
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:ospf-network:acme/antwerp~dc1/dc1-r2")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:ospf-network:acme/antwerp~dc1/dc1-r2") [/routing ospf network add network=10.255.0.12/30 area="vpnaas-acme" comment="vpnaas:ospf-network:acme/antwerp~dc1/dc1-r2"]
  } else={
    /routing ospf network set ($vpnaasIds->"vpnaas:ospf-network:acme/antwerp~dc1/dc1-r2") network=10.255.0.12/30 area="vpnaas-acme"
  }
}
# /routing ospf interface: point-to-point OSPF on tunnels
{
  :local vpnaasIds [:toarray ""]
  :foreach vpnaasId in=[/routing ospf interface find where interface~"^gre-"] do={
    :set ($vpnaasIds->[/routing ospf interface get $vpnaasId interface]) $vpnaasId
  }
  :if ([:typeof ($vpnaasIds->"gre-acme-bru-r1")] = "nothing") do={
    :set ($vpnaasIds->"gre-acme-bru-r1") [/routing ospf interface add interface="gre-acme-bru-r1" network-type=point-to-point hello-interval=1s dead-interval=4s cost=10]
  } else={
    /routing ospf interface set ($vpnaasIds->"gre-acme-bru-r1") interface="gre-acme-bru-r1" network-type=point-to-point hello-interval=1s dead-interval=4s cost=10
  }
  :if ([:typeof ($vpnaasIds->"gre-dc1-r1")] = "nothing") do={
    :set ($vpnaasIds->"gre-dc1-r1") [/routing ospf interface add interface="gre-dc1-r1" network-type=point-to-point hello-interval=1s dead-interval=4s cost=10]
  } else={
    /routing ospf interface set ($vpnaasIds->"gre-dc1-r1") interface="gre-dc1-r1" network-type=point-to-point hello-interval=1s dead-interval=4s cost=10
  }
  :if ([:typeof ($vpnaasIds->"gre-dc1-r2")] = "nothing") do={
    :set ($vpnaasIds->"gre-dc1-r2") [/routing ospf interface add interface="gre-dc1-r2" network-type=point-to-point hello-interval=1s dead-interval=4s cost=10]
  } else={
    /routing ospf interface set ($vpnaasIds->"gre-dc1-r2") interface="gre-dc1-r2" network-type=point-to-point hello-interval=1s dead-interval=4s cost=10
  }
}
# /ip route: static routes to peers' networks (routing: static)
{
  :local vpnaasIds [:toarray ""]
  :foreach vpnaasId in=[/ip route find where comment~"^vpnaas:"] do={
    :set ($vpnaasIds->[/ip route get $vpnaasId comment]) $vpnaasId
  }
  :if ([:typeof ($vpnaasIds->"vpnaas:route:acme/antwerp~acme/ghent:192.168.30.0/24")] = "nothing") do={
    :set ($vpnaasIds->"vpnaas:route:acme/antwerp~acme/ghent:192.168.30.0/24") [/ip route add dst-address=192.168.30.0/24 gateway=10.255.0.6 distance=1 comment="vpnaas:route:acme/antwerp~acme/ghent:192.168.30.0/24"]
  } else={
    /ip route set ($vpnaasIds->"vpnaas:route:acme/antwerp~acme/ghent:192.168.30.0/24") dst-address=192.168.30.0/24 gateway=10.255.0.6 distance=1
  }
}
# Remove crypto suites no peer or policy uses any more.
{
  :local vpnaasWanted [:toarray ""]
  :set ($vpnaasWanted->"vpnaas-strong") true
  :set ($vpnaasWanted->"vpnaas-strong") true
  :foreach vpnaasId in=[/ip ipsec proposal find where name~"^vpnaas-"] do={
    :local vpnaasKey [/ip ipsec proposal get $vpnaasId name]
    :if ([:typeof ($vpnaasWanted->$vpnaasKey)] = "nothing") do={
      /ip ipsec proposal remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip ipsec profile find where name~"^vpnaas-"] do={
    :local vpnaasKey [/ip ipsec profile get $vpnaasId name]
    :if ([:typeof ($vpnaasWanted->$vpnaasKey)] = "nothing") do={
      /ip ipsec profile remove $vpnaasId
    }
  }
}
