/**
 * Every Reachability Analyzer explanation code in plain language (aws-apis.md §1.8, from
 * https://docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html). `advice` is fixed wording used as a
 * fix hint when no concrete one can be built. Codes are open strings: unknown ones are handled by the caller.
 */
import type { IssueGroup } from './model';

export interface ExplanationInfo {
  group: Exclude<IssueGroup, 'unknown'>;
  meaning: string;
  advice?: string;
}

const blocked = (meaning: string, advice?: string): ExplanationInfo => ({ group: 'blocked', meaning, advice });
const noPath = (meaning: string, advice?: string): ExplanationInfo => ({ group: 'no-path', meaning, advice });
const RELAX = 'Relax or remove that filter, or check the addresses and ports you asked about.';
const filter = (meaning: string): ExplanationInfo => ({ group: 'filter', meaning, advice: RELAX });

export const EXPLANATIONS: Readonly<Record<string, ExplanationInfo>> = {
  BAD_STATE: blocked('A component on the path is not in a working state.', 'Check the component’s state in the console.'),
  BAD_STATE_ATTACHMENT: blocked('An attachment between two components is not working.'),
  BAD_STATE_ROUTE: blocked('A route on the path is not functional (for example a blackhole route).', 'Replace the route with one whose target exists.'),
  BAD_STATE_VPN: blocked('The VPN connection is not up.'),
  CANNOT_ROUTE: blocked('The route’s CIDR or prefix list does not match the packet’s destination.'),
  ELB_ACL_RESTRICTION: blocked('The Classic Load Balancer’s outbound traffic is blocked by its subnet’s network ACL (even within one subnet).'),
  ELB_INSTALLED_AZ_RESTRICTION: blocked('The load balancer can only reach targets in Availability Zones enabled on it.', 'Enable the target’s Availability Zone on the load balancer.'),
  ELB_LISTENER_PORT_RESTRICTION: blocked('The Classic Load Balancer listener only accepts and sends its configured port.'),
  ELB_LISTENERS_MISMATCH: blocked('No Classic Load Balancer listener accepts this traffic.'),
  ELB_NOT_CROSSZONE: blocked('Cross-zone load balancing is off, so some targets are unreachable.', 'Turn on cross-zone load balancing.'),
  ELBV2_LISTENER_HAS_NO_TG: blocked('The listener’s target groups have no targets.'),
  ELBV2_LISTENER_PORT_RESTRICTION: blocked('The listener only accepts its configured destination port.'),
  ELBV2_LISTENER_REQUIRES_TG_ACCEPT: blocked('No target group behind the listener accepts this traffic.'),
  ELBV2_LISTENERS_MISMATCH: blocked('No listener on the load balancer matches this traffic.'),
  ELBV2_NO_TARGETS_IN_AZ: blocked('The load balancer has no targets in the relevant Availability Zone(s).'),
  ELBV2_SOURCE_ADDRESS_PRESERVATION: blocked('The Network Load Balancer keeps the client’s source IP, so targets see the original address.'),
  ENI_ADDRESS_RESTRICTION: blocked('The network interface only passes traffic whose source or destination is its own private IP.'),
  ENI_SG_RULES_MISMATCH: blocked('A security group has no rule that allows this traffic.'),
  ENI_SOURCE_DEST_CHECK_RESTRICTION: blocked('Source/destination check is on, so the interface drops traffic not addressed from or to itself.', 'Turn off source/destination check on the interface if it routes traffic (NAT or appliance).'),
  FIREWALL_RULES_RESTRICTION: blocked('An AWS Network Firewall rule blocks this traffic.'),
  GATEWAY_REJECTS_SPOOFED_TRAFFIC: blocked('The gateway drops traffic with spoofed VPC source addresses.'),
  GWLB_DESTINATION_PORT_RESTRICTION: blocked('Traffic between a Gateway Load Balancer and its targets must use port 6081.', 'Analyse with port 6081.'),
  GWLB_PROTOCOL_RESTRICTION: blocked('Traffic between a Gateway Load Balancer and its targets is GENEVE over UDP.', 'Analyse with udp.'),
  HIGHER_PRIORITY_ROUTE: blocked('A route exists, but another route for the same CIDR takes priority.'),
  IGW_DESTINATION_ADDRESS_IN_VPC_CIDRS: blocked('The internet gateway only accepts inbound traffic addressed inside the VPC’s CIDR.'),
  IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS: blocked('The internet gateway will not send to private (RFC 1918) addresses.'),
  IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS: blocked('The internet gateway will not send to shared (RFC 6598) addresses.'),
  IGW_NAT_REFLECTION: blocked('An internet gateway cannot be a middle hop.', 'Analyse source → gateway and gateway → destination separately.'),
  IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS: blocked('Inbound traffic through the internet gateway must be addressed to the public IP of an attached interface.'),
  IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS: blocked('The source has no public IP (or is not an attached interface), so it cannot reach the internet.', 'Give the source a public or Elastic IP, or route through a NAT gateway.'),
  IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS: blocked('The internet gateway drops inbound traffic from private source addresses.'),
  IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS: blocked('The internet gateway drops inbound traffic from shared (RFC 6598) source addresses.'),
  INGRESS_RTB_NO_PUBLIC_IP: blocked('The middlebox behind an ingress route table has no public IP.'),
  INGRESS_RTB_TRAFFIC_REDIRECTION: blocked('Subnet traffic is redirected to a middlebox, so the direct internet gateway route is not used.'),
  MORE_SPECIFIC_ROUTE: blocked('A more specific (longer prefix) route wins over the intended one.'),
  NGW_DEST_ADDRESS_PRESERVATION: blocked('The NAT gateway keeps the destination address.'),
  NGW_REQUIRES_SOURCE_IN_VPC: blocked('The NAT gateway only forwards traffic from interfaces in its own VPC (not over peering, VPN or Direct Connect).'),
  NGW_SOURCE_ADDRESS_REASSIGN: blocked('The NAT gateway rewrites the source address to its own IP.'),
  NO_POSSIBLE_DESTINATION: blocked('The component cannot deliver the traffic anywhere, or sent it to another account or Region.', 'If the path crosses accounts, enable cross-account analysis.'),
  NO_ROUTE_TO_DESTINATION: blocked('The route table has no route to the destination.'),
  PCX_REQUIRES_ADDRESS_IN_VPC_CIDR: blocked('The peering connection only carries traffic addressed inside the peer VPC’s CIDR.'),
  PROTOCOL_RESTRICTION: blocked('The component only accepts certain protocols.'),
  REGIONAL_NGW_ROUTE_AZ_RESTRICTION: blocked('The regional NAT gateway is not present in the Availability Zone where the traffic starts.'),
  REMAP_EPHEMERAL_PORT: blocked('A NAT gateway or load balancer rewrites the source port to 1024–65535.'),
  SG_HAS_NO_RULES: blocked('The security group has no rules at all in this direction.'),
  SG_REFERENCES_NOT_PRESERVED: blocked('A hop drops the security-group identity, so rules that reference security groups cannot match.', 'Allow the source’s CIDR instead of its security group.'),
  SG_REFERENCING_SUPPORT: blocked('The transit gateway VPC attachment has security-group referencing turned off.', 'Turn on security-group referencing on the attachment, or allow CIDRs.'),
  SUBNET_ACL_RESTRICTION: blocked('The subnet’s network ACL denies this traffic.'),
  TARGET_ADDRESS_RESTRICTION: blocked('The load balancer only routes to its registered targets’ addresses.'),
  TARGET_PORT_RESTRICTION: blocked('The load balancer only routes to a target’s registered port.'),
  TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION: blocked('The transit gateway attachment is not associated with a transit gateway route table.', 'Associate the attachment with a route table.'),
  TGW_ATTACH_VPC_AZ_RESTRICTION: blocked('Availability Zone mismatch on the transit gateway VPC attachment (default versus appliance mode).'),
  TGW_BAD_STATE_VPN: blocked('The VPN on the transit gateway is not working.'),
  TGW_ROUTE_AZ_RESTRICTION: blocked('The transit gateway attachment has no subnet in the Availability Zone where the traffic starts.', 'Add a subnet in that Availability Zone to the attachment.'),
  TGW_RTB_BAD_STATE_ROUTE: blocked('The transit gateway route to the destination is in a bad state.'),
  TGW_RTB_CANNOT_ROUTE: blocked('A transit gateway route exists but does not match the packet’s destination.'),
  TGW_RTB_HIGHER_PRIORITY_ROUTE: blocked('The transit gateway route is shadowed by a higher-priority route for the same CIDR.'),
  TGW_RTB_MORE_SPECIFIC_ROUTE: blocked('The transit gateway route is shadowed by a more specific route.'),
  TGW_RTB_NO_ROUTE_TO_TGW_ATTACHMENT: blocked('The transit gateway route table has no route to that attachment.'),
  TGW_RTB_ROUTES_ARE_UNKNOWN: blocked('The transit gateway route table’s routes cannot be read (another account, or an internal error).'),
  UNKNOWN_DESTINATION: blocked('There is not enough information about the destination to continue.'),
  UNKNOWN_PEERED_SGS: blocked('The peer VPC is unknown (another account), so security-group references across the peering count as deny.'),
  UNKNOWN_RESOURCE: blocked('The analyser could not describe a resource on the path.', 'Check that Lookout’s role may describe it (ec2:Describe*).'),
  VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS: blocked('The virtual private gateway only takes outbound traffic from attached interfaces in the VPC.'),
  VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS: blocked('The virtual private gateway only delivers inbound traffic to the private IP of an attached interface.'),
  VPC_BLOCK_PUBLIC_ACCESS_ENABLED: blocked('VPC Block Public Access stops this internet traffic.', 'Add a Block Public Access exclusion for the subnet or VPC, if that is intended.'),
  VPC_LOCAL_ROUTE_CIDR_RESTRICTION: blocked('The local route only covers destinations inside the VPC’s CIDR.'),
  VPCE_GATEWAY_EGRESS_SOURCE_ADDRESS_RESTRICTION: blocked('The gateway endpoint only emits traffic from its prefix-list CIDRs.'),
  VPCE_GATEWAY_PROTOCOL_RESTRICTION: blocked('Gateway endpoints only pass TCP and ICMP echo.'),
  VPCE_INTRA_VPC_TRAFFIC: blocked('A VPC endpoint cannot open connections inside its own VPC.', 'Analyse the reverse direction.'),
  VPCE_SERVICE_NOT_INSTALLED_IN_AZ: blocked('The endpoint service is not available in that Availability Zone.'),

  DISCONNECTED_VPCS: noPath('The source and destination VPCs are not connected by peering or a transit gateway.', 'Connect the VPCs (peering or transit gateway) and add routes.'),
  NO_PATH: noPath('No path was found: the addresses or port may not match, a component may be briefly isolated (a new instance), the source may not be able to start connections, or a feature is unsupported (IPv6).'),
  NO_SOURCE_OR_DESTINATION: noPath('The source or destination no longer exists.', 'Check the resource still exists; `/reach forget` the path if not.'),
  UNASSOCIATED_COMPONENT: noPath('A component is not in a VPC of this account (for example terminated) or has no IPv4 address.'),
  UNSUPPORTED_COMPONENT: noPath('This component type is not supported by Reachability Analyzer.'),

  COMPONENT_FILTER_RESTRICTION: filter('No path goes through the required component.'),
  COMPONENT_FILTER_RESTRICTION_REMOVED_COMPONENT: filter('The required component is unreachable because of an excluded one.'),
  FILTER_AT_SOURCE_SOURCE_ADDRESS: filter('No path matches the source-address filter at the source.'),
  FILTER_AT_SOURCE_SOURCE_PORT_RANGE: filter('No path matches the source-port filter at the source.'),
  FILTER_AT_SOURCE_DESTINATION_ADDRESS: filter('No path matches the destination-address filter at the source.'),
  FILTER_AT_SOURCE_DESTINATION_PORT_RANGE: filter('No path matches the destination-port filter at the source.'),
  FILTER_AT_SOURCE_PROTOCOL: filter('No path matches the protocol filter at the source.'),
  FILTER_AT_DESTINATION_SOURCE_ADDRESS: filter('No path matches the source-address filter at the destination.'),
  FILTER_AT_DESTINATION_SOURCE_PORT_RANGE: filter('No path matches the source-port filter at the destination.'),
  FILTER_AT_DESTINATION_DESTINATION_ADDRESS: filter('No path matches the destination-address filter at the destination.'),
  FILTER_AT_DESTINATION_DESTINATION_PORT_RANGE: filter('No path matches the destination-port filter at the destination.'),
  FILTER_AT_DESTINATION_PROTOCOL: filter('No path matches the protocol filter at the destination.'),
  IGW_EXPECTS_PUBLIC_ADDRESS: filter('When the source or destination is an internet gateway, the addresses must be public.'),
};

/** Additional detail codes on hops: informational, shown as notes under the answer. */
export const ADDITIONAL_DETAILS: Readonly<Record<string, string>> = {
  ASSUMPTION_PRESERVE_CLIENT_IP_IS_DISABLED: 'Target-group attributes were unreadable; the result assumes client-IP preservation is off.',
  ASSUMPTION_PRESERVE_CLIENT_IP_IS_ENABLED: 'Target-group attributes were unreadable; the result assumes client-IP preservation is on.',
  AVAILABILITY_ZONE_CROSSED: 'The path crosses Availability Zones.',
  FIREWALL_UNSUPPORTED_HIGHER_PRIORITY_RULE_GROUP_TYPE: 'Some Network Firewall rule groups were skipped; verify them yourself.',
  FIREWALL_UNSUPPORTED_HIGHER_PRIORITY_RULES: 'Some Network Firewall rules were skipped; verify them yourself.',
  FIREWALL_UNSUPPORTED_RULE_OPTIONS: 'Some Network Firewall rule options were skipped; verify them yourself.',
  MISSING_TARGET_GROUP_ATTRIBUTES: 'Target-group attributes could not be read.',
  PATH_THROUGH_GWLB_NOT_CHECKED: 'The path through a Gateway Load Balancer was not checked.',
  RESPONSE_RTB_HAS_NO_ROUTE_TO_TRANSIT_GATEWAY: 'The reply may be dropped: the response route table has no route to the transit gateway.',
  TRANSIT_GATEWAY_APPLIANCE_MODE_RECOMMENDED: 'Appliance mode is recommended on the transit gateway attachment.',
  UNIDIRECTIONAL_PATH_ANALYSIS_ONLY: 'Only the forward path was analysed; the return path was not.',
};

/** The catalogue entry for a code, or undefined for a code AWS added after this list. */
export function describeExplanation(code: string): ExplanationInfo | undefined {
  return Object.prototype.hasOwnProperty.call(EXPLANATIONS, code) ? EXPLANATIONS[code] : undefined;
}
