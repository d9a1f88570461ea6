# vpnaas 0.1.0: RouterOS 7 configuration of device "dc1-r1" (router of cluster "dc1")
# inventory revision unknown (the inventory is not in a git repository)
# Needs RouterOS 7.1 or later
# 5 tunnel(s). Import with /import file-name="dc1-r1.rsc" (not verbose=yes, which runs
# each line on its own and so breaks the multi-line blocks below).
# Converging script: importing it again changes nothing. Items vpnaas manages carry the
# comment "vpnaas:<kind>:<id>" (IPsec profiles and proposals: a name starting
# "vpnaas-"); they are added, updated in place or removed as the inventory says, and
# other items are never touched.
{
  # /ip ipsec profile: IKE phase 1 per crypto suite
  :local vpnaasKeys0 [:toarray ""]
  :set ($vpnaasKeys0->"vpnaas-strong") true
  # /ip ipsec proposal: ESP phase 2 per crypto suite
  :local vpnaasKeys1 [:toarray ""]
  :set ($vpnaasKeys1->"vpnaas-strong") true
  # /ip ipsec peer: IKEv2 peer per tunnel
  :local vpnaasKeys2 [:toarray ""]
  :local vpnaasM2K0 [:toarray ""]
  :set ($vpnaasM2K0->"acme/antwerp+acme-ant-r2~dc1/dc1-r1") [:toarray "acme/antwerp+acme-ant-r2~dc1/dc1-r1,vpnaas-acme-ant-r2,192.0.2.21/32"]
  :set ($vpnaasM2K0->"acme/antwerp~dc1/dc1-r1") [:toarray "acme/antwerp~dc1/dc1-r1,vpnaas-acme-ant-r1,192.0.2.20/32"]
  :set ($vpnaasM2K0->"acme/brussels+acme-bru-r2~dc1/dc1-r1") [:toarray "acme/brussels+acme-bru-r2~dc1/dc1-r1,vpnaas-acme-bru-r2,192.0.2.11/32"]
  :set ($vpnaasM2K0->"acme/brussels~dc1/dc1-r1") [:toarray "acme/brussels~dc1/dc1-r1,vpnaas-acme-bru-r1,192.0.2.10/32"]
  :set ($vpnaasM2K0->"acme/ghent~dc1/dc1-r1") [:toarray "acme/ghent~dc1/dc1-r1,vpnaas-acme-ghe-r1,192.0.2.30/32"]
  :foreach vpnaasItem in=$vpnaasM2K0 do={
    :set ($vpnaasKeys2->("vpnaas:peer:" . ($vpnaasItem->0))) true
  }
  # /ip ipsec identity: pre-shared key per tunnel
  :local vpnaasKeys3 [:toarray ""]
  :local vpnaasM3K0 [:toarray ""]
  :set ($vpnaasM3K0->"acme/antwerp+acme-ant-r2~dc1/dc1-r1") [:toarray "acme/antwerp+acme-ant-r2~dc1/dc1-r1,vpnaas-acme-ant-r2,7953fb7118cb3b6ed1b9fdacf9813b0ace51fe1c8e433d38f2db041df7d2750b"]
  :set ($vpnaasM3K0->"acme/antwerp~dc1/dc1-r1") [:toarray "acme/antwerp~dc1/dc1-r1,vpnaas-acme-ant-r1,523d26fbaa47f8340a49a4439ebd82d836e847afffe79e70b5bce357b0e89468"]
  :set ($vpnaasM3K0->"acme/brussels+acme-bru-r2~dc1/dc1-r1") [:toarray "acme/brussels+acme-bru-r2~dc1/dc1-r1,vpnaas-acme-bru-r2,03d1e576388368de73c34aa57033f0fa4a2a6da48ea767469b035dfc54b4d626"]
  :set ($vpnaasM3K0->"acme/brussels~dc1/dc1-r1") [:toarray "acme/brussels~dc1/dc1-r1,vpnaas-acme-bru-r1,cce61e498471fd3d70c75af2977a8f92ad83815de21c64004951800b42dee044"]
  :set ($vpnaasM3K0->"acme/ghent~dc1/dc1-r1") [:toarray "acme/ghent~dc1/dc1-r1,vpnaas-acme-ghe-r1,a125c5b2862586d6923eecc1a8e0504d1ebab97d7d2b7ce44fae9edc209dbd62"]
  :foreach vpnaasItem in=$vpnaasM3K0 do={
    :set ($vpnaasKeys3->("vpnaas:identity:" . ($vpnaasItem->0))) true
  }
  # /ip ipsec policy: transport-mode policy for GRE per tunnel
  :local vpnaasKeys4 [:toarray ""]
  :local vpnaasM4K0 [:toarray ""]
  :set ($vpnaasM4K0->"acme/antwerp+acme-ant-r2~dc1/dc1-r1") [:toarray "acme/antwerp+acme-ant-r2~dc1/dc1-r1,192.0.2.21/32,vpnaas-acme-ant-r2"]
  :set ($vpnaasM4K0->"acme/antwerp~dc1/dc1-r1") [:toarray "acme/antwerp~dc1/dc1-r1,192.0.2.20/32,vpnaas-acme-ant-r1"]
  :set ($vpnaasM4K0->"acme/brussels+acme-bru-r2~dc1/dc1-r1") [:toarray "acme/brussels+acme-bru-r2~dc1/dc1-r1,192.0.2.11/32,vpnaas-acme-bru-r2"]
  :set ($vpnaasM4K0->"acme/brussels~dc1/dc1-r1") [:toarray "acme/brussels~dc1/dc1-r1,192.0.2.10/32,vpnaas-acme-bru-r1"]
  :set ($vpnaasM4K0->"acme/ghent~dc1/dc1-r1") [:toarray "acme/ghent~dc1/dc1-r1,192.0.2.30/32,vpnaas-acme-ghe-r1"]
  :foreach vpnaasItem in=$vpnaasM4K0 do={
    :set ($vpnaasKeys4->("vpnaas:policy:" . ($vpnaasItem->0))) true
  }
  # /interface gre: GRE interface per tunnel
  :local vpnaasKeys5 [:toarray ""]
  :local vpnaasM5K0 [:toarray ""]
  :set ($vpnaasM5K0->"acme/antwerp+acme-ant-r2~dc1/dc1-r1") [:toarray "acme/antwerp+acme-ant-r2~dc1/dc1-r1,gre-acme-ant-r2,192.0.2.21"]
  :set ($vpnaasM5K0->"acme/antwerp~dc1/dc1-r1") [:toarray "acme/antwerp~dc1/dc1-r1,gre-acme-ant-r1,192.0.2.20"]
  :set ($vpnaasM5K0->"acme/brussels+acme-bru-r2~dc1/dc1-r1") [:toarray "acme/brussels+acme-bru-r2~dc1/dc1-r1,gre-acme-bru-r2,192.0.2.11"]
  :set ($vpnaasM5K0->"acme/brussels~dc1/dc1-r1") [:toarray "acme/brussels~dc1/dc1-r1,gre-acme-bru-r1,192.0.2.10"]
  :set ($vpnaasM5K0->"acme/ghent~dc1/dc1-r1") [:toarray "acme/ghent~dc1/dc1-r1,gre-acme-ghe-r1,192.0.2.30"]
  :foreach vpnaasItem in=$vpnaasM5K0 do={
    :set ($vpnaasKeys5->("vpnaas:gre:" . ($vpnaasItem->0))) true
  }
  # /interface list: the tunnel interfaces, for firewall rules
  :local vpnaasKeys6 [:toarray ""]
  :set ($vpnaasKeys6->"vpnaas:interface-list:tunnels") true
  # /interface list member: tunnel interface list members
  :local vpnaasKeys7 [:toarray ""]
  :local vpnaasM7K0 [:toarray ""]
  :set ($vpnaasM7K0->"acme/antwerp+acme-ant-r2~dc1/dc1-r1") [:toarray "acme/antwerp+acme-ant-r2~dc1/dc1-r1,gre-acme-ant-r2"]
  :set ($vpnaasM7K0->"acme/antwerp~dc1/dc1-r1") [:toarray "acme/antwerp~dc1/dc1-r1,gre-acme-ant-r1"]
  :set ($vpnaasM7K0->"acme/brussels+acme-bru-r2~dc1/dc1-r1") [:toarray "acme/brussels+acme-bru-r2~dc1/dc1-r1,gre-acme-bru-r2"]
  :set ($vpnaasM7K0->"acme/brussels~dc1/dc1-r1") [:toarray "acme/brussels~dc1/dc1-r1,gre-acme-bru-r1"]
  :set ($vpnaasM7K0->"acme/ghent~dc1/dc1-r1") [:toarray "acme/ghent~dc1/dc1-r1,gre-acme-ghe-r1"]
  :foreach vpnaasItem in=$vpnaasM7K0 do={
    :set ($vpnaasKeys7->("vpnaas:interface-list-member:" . ($vpnaasItem->0))) true
  }
  # /ip address: transit address per tunnel
  :local vpnaasKeys8 [:toarray ""]
  :local vpnaasM8K0 [:toarray ""]
  :set ($vpnaasM8K0->"acme/antwerp+acme-ant-r2~dc1/dc1-r1") [:toarray "acme/antwerp+acme-ant-r2~dc1/dc1-r1,10.255.0.14/30,gre-acme-ant-r2"]
  :set ($vpnaasM8K0->"acme/antwerp~dc1/dc1-r1") [:toarray "acme/antwerp~dc1/dc1-r1,10.255.0.34/30,gre-acme-ant-r1"]
  :set ($vpnaasM8K0->"acme/brussels+acme-bru-r2~dc1/dc1-r1") [:toarray "acme/brussels+acme-bru-r2~dc1/dc1-r1,10.255.0.46/30,gre-acme-bru-r2"]
  :set ($vpnaasM8K0->"acme/brussels~dc1/dc1-r1") [:toarray "acme/brussels~dc1/dc1-r1,10.255.0.58/30,gre-acme-bru-r1"]
  :set ($vpnaasM8K0->"acme/ghent~dc1/dc1-r1") [:toarray "acme/ghent~dc1/dc1-r1,10.255.0.66/30,gre-acme-ghe-r1"]
  :foreach vpnaasItem in=$vpnaasM8K0 do={
    :set ($vpnaasKeys8->("vpnaas:address:" . ($vpnaasItem->0))) true
  }
  # /ip vrf: a VRF per customer, holding its tunnels
  :local vpnaasKeys9 [:toarray ""]
  :set ($vpnaasKeys9->"vpnaas:vrf:acme") true
  # /ip firewall address-list: public addresses of tunnel peers, and this router's own networks
  :local vpnaasKeys10 [:toarray ""]
  :local vpnaasM10K0 [:toarray ""]
  :set ($vpnaasM10K0->"vpnaas:peer-address:acme/antwerp+acme-ant-r2~dc1/dc1-r1") [:toarray "vpnaas:peer-address:acme/antwerp+acme-ant-r2~dc1/dc1-r1,vpnaas-peers,192.0.2.21"]
  :set ($vpnaasM10K0->"vpnaas:peer-address:acme/antwerp~dc1/dc1-r1") [:toarray "vpnaas:peer-address:acme/antwerp~dc1/dc1-r1,vpnaas-peers,192.0.2.20"]
  :set ($vpnaasM10K0->"vpnaas:peer-address:acme/brussels+acme-bru-r2~dc1/dc1-r1") [:toarray "vpnaas:peer-address:acme/brussels+acme-bru-r2~dc1/dc1-r1,vpnaas-peers,192.0.2.11"]
  :set ($vpnaasM10K0->"vpnaas:peer-address:acme/brussels~dc1/dc1-r1") [:toarray "vpnaas:peer-address:acme/brussels~dc1/dc1-r1,vpnaas-peers,192.0.2.10"]
  :set ($vpnaasM10K0->"vpnaas:peer-address:acme/ghent~dc1/dc1-r1") [:toarray "vpnaas:peer-address:acme/ghent~dc1/dc1-r1,vpnaas-peers,192.0.2.30"]
  :set ($vpnaasM10K0->"vpnaas:local-network:10.10.0.0/24") [:toarray "vpnaas:local-network:10.10.0.0/24,vpnaas-local,10.10.0.0/24"]
  :foreach vpnaasItem in=$vpnaasM10K0 do={
    :set ($vpnaasKeys10->($vpnaasItem->0)) true
  }
  # /ip firewall filter: accept IKE, ESP, GRE under IPsec, and LAN traffic through the tunnels, before the first rule that drops
  :local vpnaasKeys11 [:toarray ""]
  :set ($vpnaasKeys11->"vpnaas:filter:ike") true
  :set ($vpnaasKeys11->"vpnaas:filter:esp") true
  :set ($vpnaasKeys11->"vpnaas:filter:gre") true
  :set ($vpnaasKeys11->"vpnaas:filter:ospf") true
  :set ($vpnaasKeys11->"vpnaas:filter:forward-in") true
  :set ($vpnaasKeys11->"vpnaas:filter:forward-out") true
  :set ($vpnaasKeys11->"vpnaas:filter:tunnel-to-tunnel") true
  # /routing ospf instance: OSPF instance per customer
  :local vpnaasKeys12 [:toarray ""]
  :set ($vpnaasKeys12->"vpnaas:vrf-ospf-instance:acme") true
  # /routing ospf area: OSPF area per customer
  :local vpnaasKeys13 [:toarray ""]
  :set ($vpnaasKeys13->"vpnaas:vrf-ospf-area:acme") true
  # /routing ospf interface-template: point-to-point OSPF on tunnels, passive on local networks
  :local vpnaasKeys14 [:toarray ""]
  :local vpnaasM14K0 [:toarray ""]
  :set ($vpnaasM14K0->"acme/antwerp+acme-ant-r2~dc1/dc1-r1") [:toarray "acme/antwerp+acme-ant-r2~dc1/dc1-r1,gre-acme-ant-r2,110"]
  :set ($vpnaasM14K0->"acme/antwerp~dc1/dc1-r1") [:toarray "acme/antwerp~dc1/dc1-r1,gre-acme-ant-r1,10"]
  :set ($vpnaasM14K0->"acme/brussels+acme-bru-r2~dc1/dc1-r1") [:toarray "acme/brussels+acme-bru-r2~dc1/dc1-r1,gre-acme-bru-r2,110"]
  :set ($vpnaasM14K0->"acme/brussels~dc1/dc1-r1") [:toarray "acme/brussels~dc1/dc1-r1,gre-acme-bru-r1,10"]
  :foreach vpnaasItem in=$vpnaasM14K0 do={
    :set ($vpnaasKeys14->("vpnaas:vrf-ospf-interface:" . ($vpnaasItem->0))) true
  }
  # /ip route: static routes to peers' networks (routing: static) and route leaking between the customers' VRFs and main
  :local vpnaasKeys15 [:toarray ""]
  :set ($vpnaasKeys15->"vpnaas:vrf-route:acme/ghent~dc1/dc1-r1:192.168.30.0/24") true
  :set ($vpnaasKeys15->"vpnaas:route-leak:acme:10.10.0.0/24") true
  :local vpnaasM15K2 [:toarray ""]
  :set ($vpnaasM15K2->"acme/antwerp+acme-ant-r2~dc1/dc1-r1:192.168.20.0/24") [:toarray "acme/antwerp+acme-ant-r2~dc1/dc1-r1:192.168.20.0/24,192.168.20.0/24,10.255.0.13@vpnaas-acme"]
  :set ($vpnaasM15K2->"acme/antwerp+acme-ant-r2~dc1/dc1-r1:192.168.21.0/24") [:toarray "acme/antwerp+acme-ant-r2~dc1/dc1-r1:192.168.21.0/24,192.168.21.0/24,10.255.0.13@vpnaas-acme"]
  :set ($vpnaasM15K2->"acme/antwerp~dc1/dc1-r1:192.168.20.0/24") [:toarray "acme/antwerp~dc1/dc1-r1:192.168.20.0/24,192.168.20.0/24,10.255.0.33@vpnaas-acme"]
  :set ($vpnaasM15K2->"acme/antwerp~dc1/dc1-r1:192.168.21.0/24") [:toarray "acme/antwerp~dc1/dc1-r1:192.168.21.0/24,192.168.21.0/24,10.255.0.33@vpnaas-acme"]
  :set ($vpnaasM15K2->"acme/brussels+acme-bru-r2~dc1/dc1-r1:192.168.10.0/24") [:toarray "acme/brussels+acme-bru-r2~dc1/dc1-r1:192.168.10.0/24,192.168.10.0/24,10.255.0.45@vpnaas-acme"]
  :set ($vpnaasM15K2->"acme/brussels~dc1/dc1-r1:192.168.10.0/24") [:toarray "acme/brussels~dc1/dc1-r1:192.168.10.0/24,192.168.10.0/24,10.255.0.57@vpnaas-acme"]
  :set ($vpnaasM15K2->"acme/ghent~dc1/dc1-r1:192.168.30.0/24") [:toarray "acme/ghent~dc1/dc1-r1:192.168.30.0/24,192.168.30.0/24,10.255.0.65@vpnaas-acme"]
  :foreach vpnaasItem in=$vpnaasM15K2 do={
    :set ($vpnaasKeys15->("vpnaas:route-return:" . ($vpnaasItem->0))) true
  }
  # Check first: a name vpnaas needs that an item it does not manage holds stops
  # the import here, before anything is changed.
  :local vpnaasTaken ""
  {
    :local vpnaasNeeded [:toarray ""]
    :local vpnaasOurs [:toarray ""]
    :foreach vpnaasItem in=$vpnaasM2K0 do={
      :set ($vpnaasNeeded->($vpnaasItem->1)) true
    }
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
    :foreach vpnaasItem in=$vpnaasM5K0 do={
      :set ($vpnaasNeeded->($vpnaasItem->1)) true
    }
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
  {
    :local vpnaasNeeded [:toarray ""]
    :local vpnaasOurs [:toarray ""]
    :set ($vpnaasNeeded->"vpnaas-acme") true
    :foreach vpnaasId in=[/ip vrf find where comment~"^vpnaas:"] do={
      :set ($vpnaasOurs->[/ip vrf get $vpnaasId name]) true
    }
    :foreach vpnaasId in=[/ip vrf find] do={
      :local vpnaasName [/ip vrf get $vpnaasId name]
      :if ([:typeof ($vpnaasNeeded->$vpnaasName)] != "nothing") do={
        :if ([:typeof ($vpnaasOurs->$vpnaasName)] = "nothing") do={
          :set vpnaasTaken ($vpnaasTaken . " /ip vrf " . $vpnaasName . ";")
        }
      }
    }
  }
  {
    :local vpnaasNeeded [:toarray ""]
    :local vpnaasOurs [:toarray ""]
    :set ($vpnaasNeeded->"vpnaas-acme") true
    :foreach vpnaasId in=[/routing ospf instance find where comment~"^vpnaas:"] do={
      :set ($vpnaasOurs->[/routing ospf instance get $vpnaasId name]) true
    }
    :foreach vpnaasId in=[/routing ospf instance find] do={
      :local vpnaasName [/routing ospf instance get $vpnaasId name]
      :if ([:typeof ($vpnaasNeeded->$vpnaasName)] != "nothing") do={
        :if ([:typeof ($vpnaasOurs->$vpnaasName)] = "nothing") do={
          :set vpnaasTaken ($vpnaasTaken . " /routing ospf instance " . $vpnaasName . ";")
        }
      }
    }
  }
  {
    :local vpnaasNeeded [:toarray ""]
    :local vpnaasOurs [:toarray ""]
    :set ($vpnaasNeeded->"vpnaas-acme") true
    :foreach vpnaasId in=[/routing ospf area find where comment~"^vpnaas:"] do={
      :set ($vpnaasOurs->[/routing ospf area get $vpnaasId name]) true
    }
    :foreach vpnaasId in=[/routing ospf area find] do={
      :local vpnaasName [/routing ospf area get $vpnaasId name]
      :if ([:typeof ($vpnaasNeeded->$vpnaasName)] != "nothing") do={
        :if ([:typeof ($vpnaasOurs->$vpnaasName)] = "nothing") do={
          :set vpnaasTaken ($vpnaasTaken . " /routing ospf area " . $vpnaasName . ";")
        }
      }
    }
  }
  :if ([:len $vpnaasTaken] > 0) do={
    :error ("vpnaas: nothing was changed: these names are held by items vpnaas does not manage:" . $vpnaasTaken . " rename or remove them, then import again")
  }
  # Remove what vpnaas added earlier and the inventory no longer wants.
  :foreach vpnaasId in=[/ip route find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/ip route get $vpnaasId comment]
    :if ([:typeof ($vpnaasKeys15->$vpnaasKey)] = "nothing") do={
      /ip route remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/routing ospf interface-template find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/routing ospf interface-template get $vpnaasId comment]
    :if ([:typeof ($vpnaasKeys14->$vpnaasKey)] = "nothing") do={
      /routing ospf interface-template remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/routing ospf area find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/routing ospf area get $vpnaasId comment]
    :if ([:typeof ($vpnaasKeys13->$vpnaasKey)] = "nothing") do={
      /routing ospf area remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/routing ospf instance find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/routing ospf instance get $vpnaasId comment]
    :if ([:typeof ($vpnaasKeys12->$vpnaasKey)] = "nothing") do={
      /routing ospf instance remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip firewall filter find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/ip firewall filter get $vpnaasId comment]
    :if ([:typeof ($vpnaasKeys11->$vpnaasKey)] = "nothing") do={
      /ip firewall filter remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip firewall address-list find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/ip firewall address-list get $vpnaasId comment]
    :if ([:typeof ($vpnaasKeys10->$vpnaasKey)] = "nothing") do={
      /ip firewall address-list remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip vrf find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/ip vrf get $vpnaasId comment]
    :if ([:typeof ($vpnaasKeys9->$vpnaasKey)] = "nothing") do={
      /ip vrf remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip address find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/ip address get $vpnaasId comment]
    :if ([:typeof ($vpnaasKeys8->$vpnaasKey)] = "nothing") do={
      /ip address remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/interface list member find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/interface list member get $vpnaasId comment]
    :if ([:typeof ($vpnaasKeys7->$vpnaasKey)] = "nothing") do={
      /interface list member remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/interface list find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/interface list get $vpnaasId comment]
    :if ([:typeof ($vpnaasKeys6->$vpnaasKey)] = "nothing") do={
      /interface list remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/interface gre find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/interface gre get $vpnaasId comment]
    :if ([:typeof ($vpnaasKeys5->$vpnaasKey)] = "nothing") do={
      /interface gre remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip ipsec policy find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/ip ipsec policy get $vpnaasId comment]
    :if ([:typeof ($vpnaasKeys4->$vpnaasKey)] = "nothing") do={
      /ip ipsec policy remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip ipsec identity find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/ip ipsec identity get $vpnaasId comment]
    :if ([:typeof ($vpnaasKeys3->$vpnaasKey)] = "nothing") do={
      /ip ipsec identity remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip ipsec peer find where comment~"^vpnaas:"] do={
    :local vpnaasKey [/ip ipsec peer get $vpnaasId comment]
    :if ([:typeof ($vpnaasKeys2->$vpnaasKey)] = "nothing") do={
      /ip ipsec peer remove $vpnaasId
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
      :set ($vpnaasIds->"vpnaas-strong") [/ip ipsec proposal add name="vpnaas-strong" auth-algorithms="sha256" enc-algorithms="aes-256-cbc" pfs-group="modp2048" lifetime=8h]
    } else={
      /ip ipsec proposal set ($vpnaasIds->"vpnaas-strong") name="vpnaas-strong" auth-algorithms="sha256" enc-algorithms="aes-256-cbc" pfs-group="modp2048" lifetime=8h
    }
  }
  # /ip ipsec peer: IKEv2 peer per tunnel
  {
    :local vpnaasIds [:toarray ""]
    :foreach vpnaasId in=[/ip ipsec peer find where comment~"^vpnaas:"] do={
      :set ($vpnaasIds->[/ip ipsec peer get $vpnaasId comment]) $vpnaasId
    }
    :foreach vpnaasItem in=$vpnaasM2K0 do={
      :local vpnaasKey ("vpnaas:peer:" . ($vpnaasItem->0))
      :local vpnaasId ($vpnaasIds->$vpnaasKey)
      :if ([:typeof $vpnaasId] = "nothing") do={
        :set ($vpnaasIds->$vpnaasKey) [/ip ipsec peer add name=($vpnaasItem->1) address=($vpnaasItem->2) local-address=203.0.113.1 exchange-mode=ike2 profile="vpnaas-strong" comment=$vpnaasKey]
      } else={
        /ip ipsec peer set $vpnaasId name=($vpnaasItem->1) address=($vpnaasItem->2) local-address=203.0.113.1 exchange-mode=ike2 profile="vpnaas-strong"
      }
    }
  }
  # /ip ipsec identity: pre-shared key per tunnel
  {
    :local vpnaasIds [:toarray ""]
    :foreach vpnaasId in=[/ip ipsec identity find where comment~"^vpnaas:"] do={
      :set ($vpnaasIds->[/ip ipsec identity get $vpnaasId comment]) $vpnaasId
    }
    :foreach vpnaasItem in=$vpnaasM3K0 do={
      :local vpnaasKey ("vpnaas:identity:" . ($vpnaasItem->0))
      :local vpnaasId ($vpnaasIds->$vpnaasKey)
      :if ([:typeof $vpnaasId] = "nothing") do={
        :set ($vpnaasIds->$vpnaasKey) [/ip ipsec identity add peer=($vpnaasItem->1) auth-method=pre-shared-key secret=($vpnaasItem->2) comment=$vpnaasKey]
      } else={
        /ip ipsec identity set $vpnaasId peer=($vpnaasItem->1) auth-method=pre-shared-key secret=($vpnaasItem->2)
      }
    }
  }
  # /ip ipsec policy: transport-mode policy for GRE per tunnel
  {
    :local vpnaasIds [:toarray ""]
    :foreach vpnaasId in=[/ip ipsec policy find where comment~"^vpnaas:"] do={
      :set ($vpnaasIds->[/ip ipsec policy get $vpnaasId comment]) $vpnaasId
    }
    :foreach vpnaasItem in=$vpnaasM4K0 do={
      :local vpnaasKey ("vpnaas:policy:" . ($vpnaasItem->0))
      :local vpnaasId ($vpnaasIds->$vpnaasKey)
      :if ([:typeof $vpnaasId] = "nothing") do={
        :set ($vpnaasIds->$vpnaasKey) [/ip ipsec policy add src-address=203.0.113.1/32 dst-address=($vpnaasItem->1) protocol=gre tunnel=no action=encrypt level=require ipsec-protocols=esp proposal="vpnaas-strong" peer=($vpnaasItem->2) comment=$vpnaasKey]
      } else={
        /ip ipsec policy set $vpnaasId src-address=203.0.113.1/32 dst-address=($vpnaasItem->1) protocol=gre tunnel=no action=encrypt level=require ipsec-protocols=esp proposal="vpnaas-strong" peer=($vpnaasItem->2)
      }
    }
  }
  # /interface gre: GRE interface per tunnel
  {
    :local vpnaasIds [:toarray ""]
    :foreach vpnaasId in=[/interface gre find where comment~"^vpnaas:"] do={
      :set ($vpnaasIds->[/interface gre get $vpnaasId comment]) $vpnaasId
    }
    :foreach vpnaasItem in=$vpnaasM5K0 do={
      :local vpnaasKey ("vpnaas:gre:" . ($vpnaasItem->0))
      :local vpnaasId ($vpnaasIds->$vpnaasKey)
      :if ([:typeof $vpnaasId] = "nothing") do={
        :set ($vpnaasIds->$vpnaasKey) [/interface gre add name=($vpnaasItem->1) local-address=203.0.113.1 remote-address=($vpnaasItem->2) mtu=1400 keepalive=10s,3 allow-fast-path=no clamp-tcp-mss=yes comment=$vpnaasKey]
      } else={
        /interface gre set $vpnaasId name=($vpnaasItem->1) local-address=203.0.113.1 remote-address=($vpnaasItem->2) mtu=1400 keepalive=10s,3 allow-fast-path=no clamp-tcp-mss=yes
      }
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
    :foreach vpnaasItem in=$vpnaasM7K0 do={
      :local vpnaasKey ("vpnaas:interface-list-member:" . ($vpnaasItem->0))
      :local vpnaasId ($vpnaasIds->$vpnaasKey)
      :if ([:typeof $vpnaasId] = "nothing") do={
        :set ($vpnaasIds->$vpnaasKey) [/interface list member add list="vpnaas-tunnels" interface=($vpnaasItem->1) comment=$vpnaasKey]
      } else={
        /interface list member set $vpnaasId list="vpnaas-tunnels" interface=($vpnaasItem->1)
      }
    }
  }
  # /ip address: transit address per tunnel
  {
    :local vpnaasIds [:toarray ""]
    :foreach vpnaasId in=[/ip address find where comment~"^vpnaas:"] do={
      :set ($vpnaasIds->[/ip address get $vpnaasId comment]) $vpnaasId
    }
    :foreach vpnaasItem in=$vpnaasM8K0 do={
      :local vpnaasKey ("vpnaas:address:" . ($vpnaasItem->0))
      :local vpnaasId ($vpnaasIds->$vpnaasKey)
      :if ([:typeof $vpnaasId] = "nothing") do={
        :set ($vpnaasIds->$vpnaasKey) [/ip address add address=($vpnaasItem->1) interface=($vpnaasItem->2) comment=$vpnaasKey]
      } else={
        /ip address set $vpnaasId address=($vpnaasItem->1) interface=($vpnaasItem->2)
      }
    }
  }
  # /ip vrf: a VRF per customer, holding its tunnels
  {
    :local vpnaasIds [:toarray ""]
    :foreach vpnaasId in=[/ip vrf find where comment~"^vpnaas:"] do={
      :set ($vpnaasIds->[/ip vrf get $vpnaasId comment]) $vpnaasId
    }
    :if ([:typeof ($vpnaasIds->"vpnaas:vrf:acme")] = "nothing") do={
      :set ($vpnaasIds->"vpnaas:vrf:acme") [/ip vrf add name="vpnaas-acme" interfaces="gre-acme-ant-r2,gre-acme-ant-r1,gre-acme-bru-r2,gre-acme-bru-r1,gre-acme-ghe-r1" comment="vpnaas:vrf:acme"]
    } else={
      /ip vrf set ($vpnaasIds->"vpnaas:vrf:acme") name="vpnaas-acme" interfaces="gre-acme-ant-r2,gre-acme-ant-r1,gre-acme-bru-r2,gre-acme-bru-r1,gre-acme-ghe-r1"
    }
    :foreach vpnaasAnchor in=[/ip vrf find where name="main"] do={
      /ip vrf move ($vpnaasIds->"vpnaas:vrf:acme") $vpnaasAnchor
    }
  }
  # /ip firewall address-list: public addresses of tunnel peers, and this router's own networks
  {
    :local vpnaasIds [:toarray ""]
    :foreach vpnaasId in=[/ip firewall address-list find where comment~"^vpnaas:"] do={
      :set ($vpnaasIds->[/ip firewall address-list get $vpnaasId comment]) $vpnaasId
    }
    :foreach vpnaasItem in=$vpnaasM10K0 do={
      :local vpnaasKey ($vpnaasItem->0)
      :local vpnaasId ($vpnaasIds->$vpnaasKey)
      :if ([:typeof $vpnaasId] = "nothing") do={
        :set ($vpnaasIds->$vpnaasKey) [/ip firewall address-list add list=($vpnaasItem->1) address=($vpnaasItem->2) comment=$vpnaasKey]
      } else={
        /ip firewall address-list set $vpnaasId list=($vpnaasItem->1) address=($vpnaasItem->2)
      }
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
        :foreach vpnaasTag in=[:toarray "vpnaas:filter:tunnel-to-tunnel"] do={
          :if ($vpnaasId = ($vpnaasIds->$vpnaasTag)) do={
            :set vpnaasDrops false
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
    :if ([:typeof ($vpnaasIds->"vpnaas:filter:tunnel-to-tunnel")] = "nothing") do={
      :set ($vpnaasIds->"vpnaas:filter:tunnel-to-tunnel") [/ip firewall filter add chain=forward action=drop in-interface-list="vpnaas-tunnels" out-interface-list="vpnaas-tunnels" comment="vpnaas:filter:tunnel-to-tunnel"]
    } else={
      /ip firewall filter set ($vpnaasIds->"vpnaas:filter:tunnel-to-tunnel") chain=forward action=drop in-interface-list="vpnaas-tunnels" out-interface-list="vpnaas-tunnels"
    }
    :if ([:typeof ($vpnaasFirstDrop->"forward")] != "nothing") do={
      /ip firewall filter move ($vpnaasIds->"vpnaas:filter:tunnel-to-tunnel") ($vpnaasFirstDrop->"forward")
      /ip firewall filter move ($vpnaasIds->"vpnaas:filter:forward-out") ($vpnaasIds->"vpnaas:filter:tunnel-to-tunnel")
      /ip firewall filter move ($vpnaasIds->"vpnaas:filter:forward-in") ($vpnaasIds->"vpnaas:filter:forward-out")
    }
    :if ([:typeof ($vpnaasFirstDrop->"input")] != "nothing") do={
      /ip firewall filter move ($vpnaasIds->"vpnaas:filter:ospf") ($vpnaasFirstDrop->"input")
      /ip firewall filter move ($vpnaasIds->"vpnaas:filter:gre") ($vpnaasIds->"vpnaas:filter:ospf")
      /ip firewall filter move ($vpnaasIds->"vpnaas:filter:esp") ($vpnaasIds->"vpnaas:filter:gre")
      /ip firewall filter move ($vpnaasIds->"vpnaas:filter:ike") ($vpnaasIds->"vpnaas:filter:esp")
    }
  }
  # /routing ospf instance: OSPF instance per customer
  {
    :local vpnaasIds [:toarray ""]
    :foreach vpnaasId in=[/routing ospf instance find where comment~"^vpnaas:"] do={
      :set ($vpnaasIds->[/routing ospf instance get $vpnaasId comment]) $vpnaasId
    }
    :if ([:typeof ($vpnaasIds->"vpnaas:vrf-ospf-instance:acme")] = "nothing") do={
      :set ($vpnaasIds->"vpnaas:vrf-ospf-instance:acme") [/routing ospf instance add name="vpnaas-acme" version=2 router-id=10.0.255.1 vrf="vpnaas-acme" redistribute=static comment="vpnaas:vrf-ospf-instance:acme"]
    } else={
      /routing ospf instance set ($vpnaasIds->"vpnaas:vrf-ospf-instance:acme") name="vpnaas-acme" version=2 router-id=10.0.255.1 vrf="vpnaas-acme" redistribute=static
    }
  }
  # /routing ospf area: OSPF area per customer
  {
    :local vpnaasIds [:toarray ""]
    :foreach vpnaasId in=[/routing ospf area find where comment~"^vpnaas:"] do={
      :set ($vpnaasIds->[/routing ospf area get $vpnaasId comment]) $vpnaasId
    }
    :if ([:typeof ($vpnaasIds->"vpnaas:vrf-ospf-area:acme")] = "nothing") do={
      :set ($vpnaasIds->"vpnaas:vrf-ospf-area:acme") [/routing ospf area add name="vpnaas-acme" area-id="0.0.0.0" instance="vpnaas-acme" comment="vpnaas:vrf-ospf-area:acme"]
    } else={
      /routing ospf area set ($vpnaasIds->"vpnaas:vrf-ospf-area:acme") name="vpnaas-acme" area-id="0.0.0.0" instance="vpnaas-acme"
    }
  }
  # /routing ospf interface-template: point-to-point OSPF on tunnels, passive on local networks
  {
    :local vpnaasIds [:toarray ""]
    :foreach vpnaasId in=[/routing ospf interface-template find where comment~"^vpnaas:"] do={
      :set ($vpnaasIds->[/routing ospf interface-template get $vpnaasId comment]) $vpnaasId
    }
    :foreach vpnaasItem in=$vpnaasM14K0 do={
      :local vpnaasKey ("vpnaas:vrf-ospf-interface:" . ($vpnaasItem->0))
      :local vpnaasId ($vpnaasIds->$vpnaasKey)
      :if ([:typeof $vpnaasId] = "nothing") do={
        :set ($vpnaasIds->$vpnaasKey) [/routing ospf interface-template add area="vpnaas-acme" interfaces=($vpnaasItem->1) type=ptp hello-interval=1s dead-interval=4s cost=($vpnaasItem->2) comment=$vpnaasKey]
      } else={
        /routing ospf interface-template set $vpnaasId area="vpnaas-acme" interfaces=($vpnaasItem->1) type=ptp hello-interval=1s dead-interval=4s cost=($vpnaasItem->2)
      }
    }
  }
  # /ip route: static routes to peers' networks (routing: static) and route leaking between the customers' VRFs and main
  {
    :local vpnaasIds [:toarray ""]
    :foreach vpnaasId in=[/ip route find where comment~"^vpnaas:"] do={
      :set ($vpnaasIds->[/ip route get $vpnaasId comment]) $vpnaasId
    }
    :if ([:typeof ($vpnaasIds->"vpnaas:vrf-route:acme/ghent~dc1/dc1-r1:192.168.30.0/24")] = "nothing") do={
      :set ($vpnaasIds->"vpnaas:vrf-route:acme/ghent~dc1/dc1-r1:192.168.30.0/24") [/ip route add dst-address=192.168.30.0/24 gateway="10.255.0.65@vpnaas-acme" distance=1 routing-table="vpnaas-acme" comment="vpnaas:vrf-route:acme/ghent~dc1/dc1-r1:192.168.30.0/24"]
    } else={
      /ip route set ($vpnaasIds->"vpnaas:vrf-route:acme/ghent~dc1/dc1-r1:192.168.30.0/24") dst-address=192.168.30.0/24 gateway="10.255.0.65@vpnaas-acme" distance=1 routing-table="vpnaas-acme"
    }
    :if ([:typeof ($vpnaasIds->"vpnaas:route-leak:acme:10.10.0.0/24")] = "nothing") do={
      :set ($vpnaasIds->"vpnaas:route-leak:acme:10.10.0.0/24") [/ip route add dst-address=10.10.0.0/24 gateway="bridge@main" routing-table="vpnaas-acme" comment="vpnaas:route-leak:acme:10.10.0.0/24"]
    } else={
      /ip route set ($vpnaasIds->"vpnaas:route-leak:acme:10.10.0.0/24") dst-address=10.10.0.0/24 gateway="bridge@main" routing-table="vpnaas-acme"
    }
    :foreach vpnaasItem in=$vpnaasM15K2 do={
      :local vpnaasKey ("vpnaas:route-return:" . ($vpnaasItem->0))
      :local vpnaasId ($vpnaasIds->$vpnaasKey)
      :if ([:typeof $vpnaasId] = "nothing") do={
        :set ($vpnaasIds->$vpnaasKey) [/ip route add dst-address=($vpnaasItem->1) gateway=($vpnaasItem->2) comment=$vpnaasKey]
      } else={
        /ip route set $vpnaasId dst-address=($vpnaasItem->1) gateway=($vpnaasItem->2)
      }
    }
  }
  # Remove crypto suites no peer or policy uses any more.
  :foreach vpnaasId in=[/ip ipsec proposal find where name~"^vpnaas-"] do={
    :local vpnaasKey [/ip ipsec proposal get $vpnaasId name]
    :if ([:typeof ($vpnaasKeys1->$vpnaasKey)] = "nothing") do={
      /ip ipsec proposal remove $vpnaasId
    }
  }
  :foreach vpnaasId in=[/ip ipsec profile find where name~"^vpnaas-"] do={
    :local vpnaasKey [/ip ipsec profile get $vpnaasId name]
    :if ([:typeof ($vpnaasKeys0->$vpnaasKey)] = "nothing") do={
      /ip ipsec profile remove $vpnaasId
    }
  }
}
