// SPDX-License-Identifier: Apache-2.0
// The relief ledger's invariant handler (test/relief/ReliefLedger.invariants.t.sol): a stateful handler.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings, function-max-lines
pragma solidity ^0.8.24;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {IOrgRegistry} from "../../contracts/interfaces/IOrgRegistry.sol";
import {IReliefLedger} from "../../contracts/interfaces/IReliefLedger.sol";
import {ReliefLedger} from "../../contracts/relief/ReliefLedger.sol";
import {
    EXTREME_HARDSHIP,
    LIFTED_FROM_POVERTY,
    LOW_INCOME_HOUSEHOLD,
    MAX_ATTESTATION_KIND,
    MAX_MILESTONES,
    MAX_TREE_DEPTH,
    MINIMUM_LIVING_ALLOWANCE,
    MONITORED_HOUSEHOLD,
    bitOf,
    keyOf
} from "../utils/ReliefLedgerFixture.sol";

/**
 * @dev Drives the ledger with random sequences over two programmes of its own (P0: three periods, needs
 * kinds 0 and 3, approved by rural affairs; P1: a one-off payment, needs kind 0, approved by civil affairs):
 * appropriations, allocations down a tree of seven holders (two finance bureaus, two rural affairs
 * bureaus, a township and two villages) and attempts to re-parent, returns, beneficiaries registered
 * with attestations attested and revoked, disbursements proposed, approved (sometimes after a required
 * attestation was revoked) and rejected, relief projects created (some under a code another holder already
 * used: squatting orders, which get the caller's own namespaced id; P0's code is squatted by the county
 * finance bureau before the handler's finance creates it), funded, paid by milestone and accepted; organisations are suspended and reinstated through the registry. A ghost model keeps every
 * programme, holding, beneficiary, project and disbursement and predicts each call's outcome exactly
 * (success with its return value, or the revert data the contract's checks give in their order); a
 * mismatch is recorded rather than reverted (failOnRevert: false), and a call the model did not expect
 * to succeed changes no ghost state. Callers are the right account about seven times in eight, one
 * amount in eight is more than the caller holds in the programme but within what it holds in the other
 * (a cross-programme move), and pickers prefer holders, beneficiaries, periods, projects and
 * disbursements in the state an action needs. Fuzzer inputs are hashed first (`_mix`), so that they spread
 * evenly over those choices.
 */
contract ReliefLedgerHandler is CommonBase, StdUtils {
    /// @dev A seeded programme did not get the id its creator's namespace gives (set-up, not a target).
    error SeedFailed(string code);

    enum Action {
        Appropriate,
        Allocate,
        Return,
        Register,
        Attest,
        Revoke,
        Propose,
        Approve,
        Reject,
        CreateProject,
        FundProject,
        SubmitMilestone,
        ProposePayment,
        AcceptProject,
        Suspend,
        SetParent,
        MoveBeneficiary,
        Relay
    }

    uint256 internal constant ACTIONS = 18;
    uint256 internal constant HOLDERS = 7;
    uint256 internal constant ACTORS = 11;
    uint256 internal constant MAX_KEYS = 10;
    uint256 internal constant MAX_PROJECTS = 8;
    uint256 internal constant MAX_APPROPRIATION = 1e8;
    uint256 internal constant MAX_BUDGET = 2e7;

    struct GhostProgramme {
        bytes32 id;
        uint16 periods;
        uint8 approverRole;
        uint16 required;
        uint256 cap;
        uint256 appropriated;
        uint256 allocated;
        uint256 disbursed;
        uint256 returned;
    }

    struct GhostHolding {
        address parent;
        uint256 available;
        uint256 received;
        uint256 allocated;
        uint256 reserved;
        uint256 disbursed;
        uint256 returned;
    }

    struct GhostProject {
        uint256 programme; // index 0 or 1
        address holder;
        address implementer;
        IReliefLedger.ProjectStatus status;
        uint8 milestoneCount;
        uint32 submitted;
        uint256 budget;
        uint256 funded;
        uint256 available;
        uint256 reserved;
        uint256 paid;
        uint256 returned;
        uint32 paidMilestones;
    }

    struct GhostDisbursement {
        uint256 programme;
        address holder;
        IReliefLedger.RecipientKind kind;
        IReliefLedger.DisbursementStatus status;
        uint32 period; // or milestone index
        bytes32 recipient;
        uint256 amount;
        address decidedBy;
        uint256 approvals; // successful approvals of this id
        bool approverEntitled; // by the model: the approver held the approver role and was not the proposer
        bytes32 refHash; // the payment-reference hash proposed
    }

    /// @dev One call under construction.
    struct Step {
        uint256 g; // programme index
        address caller;
        uint256 amount;
        bool cross; // more than the caller holds in programme g, within what it holds in the other one
        bytes32 hash;
        bytes32 id; // the disbursement
        bytes expected;
    }

    /// @dev A project about to be created.
    struct NewProject {
        string code;
        bytes32 id;
        address implementer;
        uint256 budget;
        uint8 milestoneCount;
    }

    ReliefLedger public relief;
    IOrgRegistry public registry;
    address public admin;
    address public regulator;
    address public finance;
    address[HOLDERS] public holders;
    address[4] public others; // civil affairs, inspector, producer, stranger
    mapping(address account => uint8 kind) public kindOf;
    mapping(address account => bool) public suspended;

    GhostProgramme[2] internal _programmes;
    mapping(uint256 g => mapping(address holder => GhostHolding)) internal _holdings;
    bytes32[] public keys;
    mapping(bytes32 key => address village) public villageOf;
    mapping(bytes32 key => uint16 mask) public attestationsOf;
    mapping(bytes32 key => bool) public knownKey;
    bytes32[] public projectIds;
    /// @dev The code of each of `projectIds`, for squatting orders (another holder creating a code already used).
    string[] internal projectCodes;
    mapping(bytes32 projectId => GhostProject) internal _projects;
    bytes32[] public disbursementIds;
    mapping(bytes32 id => GhostDisbursement) internal _disbursements;
    /// @dev Approvals per (programme, period or milestone, recipient, kind), keyed independently of the
    /// ledger's disbursement ids.
    bytes32[] public paymentSlots;
    mapping(bytes32 slot => uint256) public ghostPaidCount;
    uint64 public allocationBase;
    uint64 public ghostAllocations;

    /// @dev Successful cross-programme moves, approvals by the proposer or by someone without the
    /// programme's approver role, proposals for a (programme, period, recipient) already proposed or
    /// approved, and allocations to a holder from someone other than its parent: all must stay 0.
    uint256 public ghostCrossMoves;
    uint256 public ghostBadApprovals;
    uint256 public ghostDoublePayments;
    uint256 public ghostParentChanges;
    /// @dev How often those were tried, and approvals of a beneficiary no longer eligible.
    uint256 public crossAttempts;
    uint256 public selfApprovalAttempts;
    uint256 public doublePaymentAttempts;
    uint256 public parentChangeAttempts;
    uint256 public ineligibleApprovalAttempts;
    /// @dev Attacks tried: relays through the manager, approvals naming other terms than those proposed,
    /// parent squatting (allocations to a holder that did not accept the caller, consents over a parent),
    /// beneficiaries moved or deregistered, appropriations to the uint96 limit.
    uint256 public relayAttempts;
    uint256 public staleTermsAttempts;
    uint256 public squatAttempts;
    /// @dev Projects tried under a code another holder already used (each gets the caller's own id).
    uint256 public codeSquatAttempts;
    uint256 public moves;
    uint256 public extremeAmounts;

    uint256[ACTIONS] public calls;
    uint256[ACTIONS] public successes;
    uint256 public mismatches;
    string public firstMismatch;

    constructor(
        ReliefLedger relief_,
        IOrgRegistry registry_,
        address admin_,
        address regulator_,
        address[HOLDERS] memory holders_,
        address[4] memory others_
    ) {
        relief = relief_;
        registry = registry_;
        admin = admin_;
        regulator = regulator_;
        holders = holders_;
        others = others_;
        finance = holders_[0];
        // Two finance bureaus, two rural affairs bureaus, a township and two villages.
        uint8[HOLDERS] memory kinds = [
            uint8(Roles.FINANCE),
            uint8(Roles.FINANCE),
            uint8(Roles.RURAL_AFFAIRS),
            uint8(Roles.RURAL_AFFAIRS),
            uint8(Roles.VILLAGE),
            uint8(Roles.VILLAGE),
            uint8(Roles.VILLAGE)
        ];
        for (uint256 i = 0; i < HOLDERS; ++i) kindOf[holders_[i]] = kinds[i];
        kindOf[others_[0]] = uint8(Roles.CIVIL_AFFAIRS);
        kindOf[others_[1]] = uint8(Roles.INSPECTOR);
        kindOf[others_[2]] = uint8(Roles.PRODUCER);
        allocationBase = relief_.allocationCount();
    }

    // ---------------------------------------------------------------- set-up (not targets)

    /// @dev The handler's finance creates programme `g` under `code`. With `squat`, the county finance bureau
    /// (holders[1]) takes the code first, with the same terms: it gets its own id and programme, and the
    /// handler's finance still gets the id of its code (a programme the ghost does not model beyond that).
    function seedProgramme(
        uint256 g,
        string calldata code,
        IReliefLedger.ProgrammeTerms calldata terms,
        bool squat
    ) external returns (bytes32 id) {
        bytes32 expected = keccak256(abi.encode(finance, keccak256(bytes(code))));
        if (squat) {
            vm.prank(holders[1]);
            bytes32 squatted = relief.createProgramme(code, terms, keccak256(abi.encode("squatter budget", code)));
            if (squatted == expected || relief.programme(squatted).finance != holders[1]) revert SeedFailed(code);
        }
        vm.prank(finance);
        id = relief.createProgramme(code, terms, keccak256(abi.encode("handler budget", code)));
        if (id != expected || relief.programme(id).finance != finance) revert SeedFailed(code);
        _programmes[g] = GhostProgramme({
            id: id,
            periods: terms.periods,
            approverRole: terms.approverRole,
            required: terms.requiredAttestations,
            cap: terms.perBeneficiaryCap,
            appropriated: terms.budget,
            allocated: 0,
            disbursed: 0,
            returned: 0
        });
        _holdings[g][finance].available = terms.budget;
    }

    function seedAllocation(uint256 g, address from, address to, uint256 amount) external {
        if (from != finance && _holdings[g][to].parent == address(0)) {
            vm.prank(to);
            relief.setParent(_programmes[g].id, to, from, keccak256("seed consent"));
            _holdings[g][to].parent = from;
        }
        vm.prank(from);
        relief.allocate(_programmes[g].id, to, uint96(amount), keccak256("seed allocation"));
        _allocated(g, from, to, amount);
    }

    /// @dev `village` registers a new beneficiary holding the kinds of `mask` (0-4).
    function seedBeneficiary(address village, uint16 mask) external {
        bytes32 key = keyOf("handler", keys.length);
        vm.prank(village);
        relief.registerBeneficiary(key, keccak256(abi.encode("household", key)));
        villageOf[key] = village;
        keys.push(key);
        knownKey[key] = true;
        for (uint8 k = 0; k < 5; ++k) {
            if (mask & bitOf(k) == 0) continue;
            vm.prank(_attesterOf(k, 0));
            relief.attest(key, k, keccak256(abi.encode("seed evidence", key, k)));
        }
        attestationsOf[key] = mask;
    }

    /// @dev `proposer` proposes paying beneficiary `k` for `period` of programme `g`; `approver` (if not zero)
    /// approves it.
    function seedDisbursement(
        uint256 g,
        uint256 k,
        uint32 period,
        address proposer,
        uint256 amount,
        address approver
    ) external {
        Step memory s;
        s.g = g;
        s.caller = proposer;
        s.amount = amount;
        vm.prank(proposer);
        s.hash = keccak256("seed");
        s.id = relief.proposeDisbursement(_programmes[g].id, period, keys[k], uint96(amount), s.hash);
        GhostHolding storage h = _holdings[g][proposer];
        h.available -= amount;
        h.reserved += amount;
        _proposed(s, IReliefLedger.RecipientKind.Beneficiary, period, keys[k]);
        if (approver == address(0)) return;
        vm.prank(approver);
        relief.approveDisbursement(s.id, uint96(amount), s.hash);
        _approved(s.id, approver, true);
    }

    // ---------------------------------------------------------------- programmes and allocation

    function appropriate(uint256 programmeSeed, uint256 callerSeed, uint256 amountSeed) external {
        programmeSeed = _mix(programmeSeed);
        callerSeed = _mix(callerSeed);
        amountSeed = _mix(amountSeed);
        Step memory s;
        s.g = programmeSeed % 2;
        GhostProgramme storage p = _programmes[s.g];
        s.caller = callerSeed % 8 == 7 ? _actor(callerSeed >> 3) : finance;
        s.amount = amountSeed % 16 == 0 ? 0 : 1 + ((amountSeed >> 4) % MAX_APPROPRIATION);
        // Extreme amounts, one in sixteen: up to the uint96 limit, or one fen beyond it.
        uint256 room = type(uint96).max - p.appropriated;
        if (amountSeed % 16 == 1 && room != 0) {
            s.amount = (amountSeed >> 200) % 2 == 0 ? room : room + 1;
            if (s.amount > type(uint96).max) s.amount = type(uint96).max;
            ++extremeAmounts;
        }
        s.hash = _hashOf("appropriation", amountSeed, 16);
        if (!_holds(Roles.FINANCE, s.caller)) s.expected = _managed(s.caller);
        else if (s.caller != finance) {
            s.expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerNotProgrammeFinance.selector,
                p.id,
                s.caller,
                finance
            );
        } else if (s.amount == 0) s.expected = _zeroAmount();
        else if (s.hash == bytes32(0)) s.expected = _zeroHash();
        else if (p.appropriated + s.amount > type(uint96).max) {
            s.expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerAmountTooLarge.selector,
                p.appropriated + s.amount
            );
        }

        (bool ok, ) = _call(
            Action.Appropriate,
            s.caller,
            abi.encodeCall(relief.appropriate, (p.id, uint96(s.amount), s.hash)),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        p.appropriated += s.amount;
        _holdings[s.g][finance].available += s.amount;
    }

    /// @dev From a holder with money in the programme to one below it (its child or a holder with no parent
    /// yet), seven times in eight each; else anyone, so that re-parenting, cycles, self-allocation and
    /// non-holders are tried.
    function allocate(uint256 programmeSeed, uint256 fromSeed, uint256 toSeed, uint256 amountSeed) external {
        programmeSeed = _mix(programmeSeed);
        fromSeed = _mix(fromSeed);
        toSeed = _mix(toSeed);
        amountSeed = _mix(amountSeed);
        Step memory s;
        s.g = programmeSeed % 2;
        s.caller = fromSeed % 8 == 7 ? _actor(fromSeed >> 3) : _pickFunded(s.g, fromSeed >> 3, false);
        address to = toSeed % 8 == 7 ? _actor(toSeed >> 3) : _pickChild(s.g, s.caller, toSeed >> 3);
        _pickAmount(s, amountSeed, type(uint256).max);
        s.hash = _hashOf("allocation notice", amountSeed, 16);
        s.expected = _allocateError(s, to);
        address parent = _holdings[s.g][to].parent;
        bool reparent = parent != address(0) && parent != s.caller;
        if (reparent) ++parentChangeAttempts;
        if (parent == address(0) && s.caller != finance) ++squatAttempts;

        (bool ok, bytes memory ret) = _call(
            Action.Allocate,
            s.caller,
            abi.encodeCall(relief.allocate, (_programmes[s.g].id, to, uint96(s.amount), s.hash)),
            s.expected
        );
        _audit(s, ok);
        if (ok && reparent) ++ghostParentChanges;
        if (!ok || s.expected.length != 0) return;
        _checkReturned(ret, abi.encode(allocationBase + ghostAllocations + 1), "allocate");
        _allocated(s.g, s.caller, to, s.amount);
    }

    /// @dev The contract's allocation checks in order.
    function _allocateError(Step memory s, address to) internal view returns (bytes memory) {
        bytes32 id = _programmes[s.g].id;
        uint256 avail = _holdings[s.g][s.caller].available;
        address parent = _holdings[s.g][to].parent;
        if (!_isHolder(s.caller)) return _notHolder(s.caller);
        if (!_isHolder(to)) return _notHolder(to);
        if (to == s.caller || to == finance) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerSelfAllocation.selector, id, to);
        }
        if (s.hash == bytes32(0)) return _zeroHash();
        if (s.amount == 0) return _zeroAmount();
        if (s.amount > avail) return _insufficient(id, s.caller, avail, s.amount);
        if (parent == address(0) && s.caller != finance) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerParentNotAccepted.selector, id, to, s.caller);
        }
        if (parent != address(0) && parent != s.caller) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotParent.selector, id, to, parent, s.caller);
        }
        return "";
    }

    /// @dev A holder accepts a parent (half the time, squatting orders included: a holder that already has one,
    /// a parent outside the tree or below the holder), the programme's finance re-attaches one (a quarter), or
    /// another finance bureau or anyone tries.
    function setParent(uint256 programmeSeed, uint256 holderSeed, uint256 parentSeed, uint256 callerSeed) external {
        programmeSeed = _mix(programmeSeed);
        holderSeed = _mix(holderSeed);
        parentSeed = _mix(parentSeed);
        callerSeed = _mix(callerSeed);
        Step memory s;
        s.g = programmeSeed % 2;
        address holder = holders[1 + (holderSeed % (HOLDERS - 1))];
        address parent = parentSeed % 8 == 7 ? _actor(parentSeed >> 3) : holders[(parentSeed >> 3) % HOLDERS];
        uint256 r = callerSeed % 8;
        s.caller = r < 4 ? holder : (r < 6 ? finance : (r == 6 ? holders[1] : _actor(callerSeed >> 3)));
        s.hash = _hashOf("parent consent", callerSeed, 16);
        if (s.caller == holder && _holdings[s.g][holder].parent != address(0)) ++squatAttempts;
        s.expected = _setParentError(s, holder, parent);
        (bool ok, ) = _call(
            Action.SetParent,
            s.caller,
            abi.encodeCall(relief.setParent, (_programmes[s.g].id, holder, parent, s.hash)),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        _holdings[s.g][holder].parent = parent;
    }

    /// @dev The contract's setParent checks in order.
    function _setParentError(Step memory s, address holder, address parent) internal view returns (bytes memory) {
        bytes32 id = _programmes[s.g].id;
        address current = _holdings[s.g][holder].parent;
        if (s.caller == holder) {
            if (!_isHolder(s.caller)) s.expected = _notHolder(s.caller);
            else if (current != address(0)) {
                s.expected = abi.encodeWithSelector(
                    IReliefLedger.ReliefLedgerNotParent.selector,
                    id,
                    holder,
                    current,
                    parent
                );
            }
        } else if (s.caller != finance || !_holds(Roles.FINANCE, s.caller)) {
            s.expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerNotProgrammeFinance.selector,
                id,
                s.caller,
                finance
            );
        }
        if (s.expected.length == 0) {
            if (holder == finance || !_isHolder(parent) || !_leadsToFinance(s.g, holder, parent)) {
                s.expected = abi.encodeWithSelector(
                    IReliefLedger.ReliefLedgerInvalidParent.selector,
                    id,
                    holder,
                    parent
                );
            } else if (s.hash == bytes32(0)) s.expected = _zeroHash();
        }
        return s.expected;
    }

    /// @dev Whether `parent`'s parents lead to the finance without passing `holder`, as the ledger follows them.
    function _leadsToFinance(uint256 g, address holder, address parent) internal view returns (bool) {
        address node = parent;
        for (uint256 i = 0; node != finance; ++i) {
            if (node == holder || node == address(0) || i == MAX_TREE_DEPTH) return false;
            node = _holdings[g][node].parent;
        }
        return true;
    }

    /// @dev Seven times in eight a holder with money and a parent; else anyone (the root too).
    function returnFunds(uint256 programmeSeed, uint256 callerSeed, uint256 amountSeed) external {
        programmeSeed = _mix(programmeSeed);
        callerSeed = _mix(callerSeed);
        amountSeed = _mix(amountSeed);
        Step memory s;
        s.g = programmeSeed % 2;
        s.caller = callerSeed % 8 == 7 ? _actor(callerSeed >> 3) : _pickFunded(s.g, callerSeed >> 3, true);
        _pickAmount(s, amountSeed, type(uint256).max);
        s.hash = _hashOf("return", amountSeed, 16);
        bytes32 id = _programmes[s.g].id;
        GhostHolding storage h = _holdings[s.g][s.caller];
        if (!_isHolder(s.caller)) s.expected = _notHolder(s.caller);
        else if (s.hash == bytes32(0)) s.expected = _zeroHash();
        else if (s.amount == 0) s.expected = _zeroAmount();
        else if (s.amount > h.available) s.expected = _insufficient(id, s.caller, h.available, s.amount);
        else if (h.parent == address(0)) {
            s.expected = abi.encodeWithSelector(IReliefLedger.ReliefLedgerRootCannotReturn.selector, id, s.caller);
        }

        (bool ok, ) = _call(
            Action.Return,
            s.caller,
            abi.encodeCall(relief.returnFunds, (id, uint96(s.amount), s.hash)),
            s.expected
        );
        _audit(s, ok);
        if (!ok || s.expected.length != 0) return;
        h.available -= s.amount;
        h.returned += s.amount;
        _holdings[s.g][h.parent].available += s.amount;
        _programmes[s.g].returned += s.amount;
    }

    // ---------------------------------------------------------------- beneficiaries

    /// @dev A new key while there is room (one in eight an existing one), by the township or a village
    /// seven times in eight.
    function registerBeneficiary(uint256 villageSeed, uint256 keySeed) external {
        villageSeed = _mix(villageSeed);
        keySeed = _mix(keySeed);
        Step memory s;
        s.caller = villageSeed % 8 == 7 ? _actor(villageSeed >> 3) : holders[4 + ((villageSeed >> 3) % 3)];
        bool fresh = keys.length < MAX_KEYS && keySeed % 8 != 7;
        bytes32 key = fresh ? keyOf("handler", keys.length) : keys[(keySeed >> 3) % keys.length];
        s.hash = _hashOf("household", keySeed, 16);
        if (!_holds(Roles.VILLAGE, s.caller)) s.expected = _managed(s.caller);
        else if (s.hash == bytes32(0)) s.expected = _zeroHash();
        else if (villageOf[key] != address(0)) {
            s.expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerBeneficiaryExists.selector,
                key,
                villageOf[key]
            );
        }
        (bool ok, ) = _call(
            Action.Register,
            s.caller,
            abi.encodeCall(relief.registerBeneficiary, (key, s.hash)),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        villageOf[key] = s.caller;
        if (!knownKey[key]) {
            knownKey[key] = true;
            keys.push(key);
        }
    }

    /// @dev Rural affairs (seven times in eight) moves a registered beneficiary to another village (a squatter's
    /// registration undone) or, one time in four, deregisters it; else anyone tries, or the target is no village.
    function moveBeneficiary(uint256 keySeed, uint256 villageSeed, uint256 callerSeed) external {
        keySeed = _mix(keySeed);
        villageSeed = _mix(villageSeed);
        callerSeed = _mix(callerSeed);
        if (keySeed % 2 == 1) return;
        keySeed >>= 1;
        Step memory s;
        s.caller = _caller(callerSeed, holders[2 + ((callerSeed >> 3) % 2)]);
        bytes32 key = keySeed % 16 == 15 ? keyOf("unregistered", keySeed) : keys[(keySeed >> 4) % keys.length];
        uint256 r = villageSeed % 8;
        address village = r < 2 ? address(0) : (r == 7 ? _actor(villageSeed >> 3) : holders[4 + (r % 3)]);
        s.hash = _hashOf("move decision", villageSeed, 16);
        address from = villageOf[key];
        if (!_holds(Roles.RURAL_AFFAIRS, s.caller)) s.expected = _managed(s.caller);
        else if (from == address(0)) {
            s.expected = abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownBeneficiary.selector, key);
        } else if (s.hash == bytes32(0)) s.expected = _zeroHash();
        else if (village != address(0) && (village == from || !_holds(Roles.VILLAGE, village))) {
            s.expected = abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotVillage.selector, village);
        }
        (bool ok, ) = _call(
            Action.MoveBeneficiary,
            s.caller,
            abi.encodeCall(relief.moveBeneficiary, (key, village, s.hash)),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        ++moves;
        villageOf[key] = village;
        if (village == address(0)) attestationsOf[key] = 0;
    }

    /// @dev An organisation asks the manager to relay a ledger call (`AccessManager.execute`): the manager lets
    /// it through when the caller may call the function, and the ledger must refuse it (the manager would stand
    /// in as the actor); else the manager refuses it. Nothing may change either way.
    function relay(uint256 whichSeed, uint256 callerSeed) external {
        whichSeed = _mix(whichSeed);
        callerSeed = _mix(callerSeed);
        address caller = _actor(callerSeed);
        (bytes memory data, uint64 role) = _relayed(whichSeed);
        bytes4 selector = bytes4(data);
        address manager = relief.authority();
        bytes memory expected =
            role == type(uint64).max || _holds(role, caller)
                ? abi.encodeWithSelector(IReliefLedger.ReliefLedgerRelayedCall.selector, manager, selector)
                : abi.encodeWithSelector(
                    IAccessManager.AccessManagerUnauthorizedCall.selector,
                    caller,
                    address(relief),
                    selector
                );
        ++relayAttempts;
        ++calls[uint256(Action.Relay)];
        vm.prank(caller);
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = manager.call(abi.encodeCall(IAccessManager.execute, (address(relief), data)));
        if (ok) return _mismatch("a relayed call succeeded: ", data);
        if (keccak256(ret) != keccak256(expected)) return _mismatch("a relayed call failed against the model: ", ret);
        ++successes[uint256(Action.Relay)]; // refused as it must be
    }

    /// @dev A ledger call to relay and the role the manager requires for it (type(uint64).max: PUBLIC).
    function _relayed(uint256 whichSeed) internal view returns (bytes memory data, uint64 role) {
        bytes32 pid = _programmes[whichSeed % 2].id;
        bytes32 key = keys[(whichSeed >> 8) % keys.length];
        bytes32 h = keccak256(abi.encode("relayed", whichSeed));
        role = type(uint64).max;
        uint256 r = (whichSeed >> 1) % 8;
        if (r == 0) {
            data = abi.encodeCall(relief.registerBeneficiary, (keyOf("relayed", whichSeed), h));
            role = Roles.VILLAGE;
        } else if (r == 1) data = abi.encodeCall(relief.allocate, (pid, holders[4], 1, h));
        else if (r == 2) {
            bytes32 id = disbursementIds.length == 0 ? h : disbursementIds[(whichSeed >> 16) % disbursementIds.length];
            data = abi.encodeCall(
                relief.approveDisbursement,
                (id, uint96(_disbursements[id].amount), _disbursements[id].refHash)
            );
        } else if (r == 3) {
            data = abi.encodeCall(relief.recordFinding, (IReliefLedger.TargetKind.Beneficiary, key, holders[4], 1, h));
            role = Roles.AUDITOR;
        } else if (r == 4) {
            data = abi.encodeCall(relief.moveBeneficiary, (key, address(0), h));
            role = Roles.RURAL_AFFAIRS;
        } else if (r == 5) data = abi.encodeCall(relief.setParent, (pid, holders[6], holders[2], h));
        else if (r == 6) data = abi.encodeCall(relief.proposeDisbursement, (pid, 1, key, 1, h));
        else {
            data = abi.encodeCall(relief.appropriate, (pid, 1, h));
            role = Roles.FINANCE;
        }
    }

    function attest(uint256 keySeed, uint256 kindSeed, uint256 callerSeed) external {
        keySeed = _mix(keySeed);
        kindSeed = _mix(kindSeed);
        callerSeed = _mix(callerSeed);
        bytes32 key = keySeed % 16 == 15 ? keyOf("unregistered", keySeed) : keys[(keySeed >> 4) % keys.length];
        uint8 kind = _pickKind(key, kindSeed, true);
        _attestation(Action.Attest, key, kind, _caller(callerSeed, _attesterOf(kind, callerSeed >> 8)), kindSeed);
    }

    /// @dev One call in two does nothing, so that beneficiaries stay eligible long enough to be paid.
    function revokeAttestation(uint256 keySeed, uint256 kindSeed, uint256 callerSeed) external {
        keySeed = _mix(keySeed);
        kindSeed = _mix(kindSeed);
        callerSeed = _mix(callerSeed);
        if (callerSeed % 2 == 1) return;
        callerSeed >>= 1;
        bytes32 key = keySeed % 16 == 15 ? keyOf("unregistered", keySeed) : keys[(keySeed >> 4) % keys.length];
        uint8 kind = _pickKind(key, kindSeed, false);
        _attestation(Action.Revoke, key, kind, _caller(callerSeed, _attesterOf(kind, callerSeed >> 8)), kindSeed);
    }

    function _attestation(Action action, bytes32 key, uint8 kind, address caller, uint256 seed) internal {
        bool attesting = action == Action.Attest;
        Step memory s;
        s.caller = caller;
        s.hash = _hashOf("attestation evidence", seed, 16);
        uint8 role = kind > MAX_ATTESTATION_KIND ? 0 : _attesterRole(kind);
        uint16 bit = kind > MAX_ATTESTATION_KIND ? 0 : bitOf(kind);
        bool held = attestationsOf[key] & bit != 0;
        if (role == 0) {
            s.expected = abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownAttestation.selector, kind);
        } else if (!_holds(role, caller)) s.expected = _unauthorized(caller, role);
        else if (villageOf[key] == address(0)) {
            s.expected = abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownBeneficiary.selector, key);
        } else if (s.hash == bytes32(0)) s.expected = _zeroHash();
        else if (attesting && held) {
            s.expected = abi.encodeWithSelector(IReliefLedger.ReliefLedgerAlreadyAttested.selector, key, kind);
        } else if (!attesting && !held) {
            s.expected = abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotAttested.selector, key, kind);
        }
        bytes memory data =
            attesting
                ? abi.encodeCall(relief.attest, (key, kind, s.hash))
                : abi.encodeCall(relief.revokeAttestation, (key, kind, s.hash));
        (bool ok, ) = _call(action, caller, data, s.expected);
        if (!ok || s.expected.length != 0) return;
        attestationsOf[key] = attesting ? attestationsOf[key] | bit : attestationsOf[key] & ~bit;
    }

    // ---------------------------------------------------------------- disbursement

    /// @dev An eligible beneficiary three times in four, proposed by its village or the village's parent, for
    /// a period not yet paid three times in four; one call in eight repeats a payment (`_proposalTarget`).
    function proposeDisbursement(
        uint256 programmeSeed,
        uint256 keySeed,
        uint256 callerSeed,
        uint256 periodSeed,
        uint256 amountSeed
    ) external {
        programmeSeed = _mix(programmeSeed);
        keySeed = _mix(keySeed);
        callerSeed = _mix(callerSeed);
        periodSeed = _mix(periodSeed);
        amountSeed = _mix(amountSeed);
        Step memory s;
        s.g = programmeSeed % 2;
        bytes32 pid = _programmes[s.g].id;
        (bytes32 key, uint32 period) = _proposalTarget(s, keySeed, callerSeed, periodSeed);
        _pickAmount(s, amountSeed, _programmes[s.g].cap);
        if ((amountSeed >> 64) % 16 == 15) s.amount = _programmes[s.g].cap + 1;
        s.hash = _hashOf("payment reference", amountSeed, 32);
        s.id = relief.disbursementIdOf(IReliefLedger.RecipientKind.Beneficiary, pid, period, key);
        s.expected = _proposeError(s, key, period);

        bool again = _pending(s.id);
        if (again) ++doublePaymentAttempts;
        (bool ok, bytes memory ret) = _call(
            Action.Propose,
            s.caller,
            abi.encodeCall(relief.proposeDisbursement, (pid, period, key, uint96(s.amount), s.hash)),
            s.expected
        );
        _audit(s, ok);
        if (ok && again) ++ghostDoublePayments;
        if (!ok || s.expected.length != 0) return;
        _checkReturned(ret, abi.encode(s.id), "proposeDisbursement");
        GhostHolding storage h = _holdings[s.g][s.caller];
        h.available -= s.amount;
        h.reserved += s.amount;
        _proposed(s, IReliefLedger.RecipientKind.Beneficiary, period, key);
    }

    /// @dev Sets the proposer; returns the beneficiary and period. One key seed in eight repeats a pending or
    /// approved payment of the programme (a second payment), one in sixteen is an unregistered key.
    function _proposalTarget(
        Step memory s,
        uint256 keySeed,
        uint256 callerSeed,
        uint256 periodSeed
    ) internal view returns (bytes32 key, uint32 period) {
        if (keySeed % 8 == 6) {
            bytes32 id = _pickPaid(s.g, keySeed >> 3);
            if (id != bytes32(0)) {
                GhostDisbursement storage d = _disbursements[id];
                s.caller = _caller(callerSeed, d.holder);
                return (d.recipient, d.period);
            }
        }
        key = keySeed % 16 == 15 ? keyOf("unregistered", keySeed) : _pickKey(s.g, keySeed >> 4);
        s.caller = callerSeed % 8 == 7 ? _actor(callerSeed >> 3) : _proposerFor(s.g, villageOf[key], callerSeed >> 3);
        period = _pickPeriod(s.g, key, periodSeed);
    }

    /// @dev A pending or approved beneficiary payment of programme `g` (from a random start), or 0.
    function _pickPaid(uint256 g, uint256 seed) internal view returns (bytes32) {
        uint256 n = disbursementIds.length;
        for (uint256 i = 0; i < n; ++i) {
            bytes32 id = disbursementIds[(seed + i) % n];
            GhostDisbursement storage d = _disbursements[id];
            if (d.programme == g && d.kind == IReliefLedger.RecipientKind.Beneficiary && _pending(id)) return id;
        }
        return bytes32(0);
    }

    /// @dev The contract's proposal checks in order.
    function _proposeError(Step memory s, bytes32 key, uint32 period) internal view returns (bytes memory) {
        GhostProgramme storage p = _programmes[s.g];
        address village = villageOf[key];
        uint256 avail = _holdings[s.g][s.caller].available;
        uint16 held = attestationsOf[key];
        if (!_isHolder(s.caller)) return _notHolder(s.caller);
        if (period == 0 || period > p.periods) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidPeriod.selector, p.id, period, p.periods);
        }
        if (s.amount > p.cap) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerOverCap.selector, p.id, s.amount, p.cap);
        }
        if (s.hash == bytes32(0)) return _zeroHash();
        if (village == address(0)) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownBeneficiary.selector, key);
        }
        if (village != s.caller && _holdings[s.g][village].parent != s.caller) {
            return
                abi.encodeWithSelector(
                    IReliefLedger.ReliefLedgerNotBeneficiaryVillage.selector,
                    key,
                    village,
                    s.caller
                );
        }
        if (held & p.required != p.required) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotEligible.selector, p.id, key, p.required, held);
        }
        if (s.amount == 0) return _zeroAmount();
        if (s.amount > avail) return _insufficient(p.id, s.caller, avail, s.amount);
        if (_pending(s.id)) return _alreadyPaid(s.id, _disbursements[s.id].status);
        return "";
    }

    /// @dev A submitted milestone not yet paid three times in four, by the project's holder seven times in eight.
    function proposeProjectPayment(
        uint256 projectSeed,
        uint256 indexSeed,
        uint256 callerSeed,
        uint256 amountSeed
    ) external {
        projectSeed = _mix(projectSeed);
        indexSeed = _mix(indexSeed);
        callerSeed = _mix(callerSeed);
        amountSeed = _mix(amountSeed);
        if (projectIds.length == 0) return;
        bytes32 projectId = _pickProject(projectSeed, true);
        GhostProject storage j = _projects[projectId];
        Step memory s;
        s.g = j.programme;
        s.caller = _caller(callerSeed, j.holder);
        uint8 index = _pickMilestone(projectId, indexSeed, true);
        // The milestone's fixed amount seven times in eight; else the whole budget or another amount.
        uint256 fixedAmount = _milestoneAmount(j, index);
        uint256 r = amountSeed % 16;
        if (r == 0) s.amount = j.budget;
        else if (r == 1) s.amount = 1 + ((amountSeed >> 8) % (j.budget + 1));
        else s.amount = fixedAmount;
        s.hash = _hashOf("invoice", amountSeed, 32);
        s.id = relief.disbursementIdOf(IReliefLedger.RecipientKind.Project, _programmes[s.g].id, index, projectId);
        s.expected = _paymentError(s, projectId, index);

        bool again = _pending(s.id);
        if (again) ++doublePaymentAttempts;
        (bool ok, bytes memory ret) = _call(
            Action.ProposePayment,
            s.caller,
            abi.encodeCall(relief.proposeProjectPayment, (projectId, index, uint96(s.amount), s.hash)),
            s.expected
        );
        if (ok && again) ++ghostDoublePayments;
        if (!ok || s.expected.length != 0) return;
        _checkReturned(ret, abi.encode(s.id), "proposeProjectPayment");
        j.available -= s.amount;
        j.reserved += s.amount;
        _proposed(s, IReliefLedger.RecipientKind.Project, index, projectId);
    }

    function _paymentError(Step memory s, bytes32 projectId, uint8 index) internal view returns (bytes memory) {
        GhostProject storage j = _projects[projectId];
        if (j.status != IReliefLedger.ProjectStatus.Active) return _wrongProjectStatus(projectId, j.status);
        if (s.caller != j.holder) {
            return
                abi.encodeWithSelector(
                    IReliefLedger.ReliefLedgerNotProjectHolder.selector,
                    projectId,
                    j.holder,
                    s.caller
                );
        }
        if (!_isHolder(s.caller)) return _notHolder(s.caller);
        if (!_isImplementer(j.implementer)) return _notImplementer(j.implementer);
        if (index >= j.milestoneCount) return _invalidMilestone(projectId, index, j.milestoneCount);
        if (j.submitted & (uint32(1) << index) == 0) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerMilestoneNotSubmitted.selector, projectId, index);
        }
        uint256 fixedAmount = _milestoneAmount(j, index);
        if (s.amount != fixedAmount) {
            return
                abi.encodeWithSelector(
                    IReliefLedger.ReliefLedgerMilestoneAmount.selector,
                    projectId,
                    index,
                    fixedAmount,
                    s.amount
                );
        }
        if (s.hash == bytes32(0)) return _zeroHash();
        if (s.amount > j.available) {
            return _insufficient(_programmes[s.g].id, address(relief), j.available, s.amount);
        }
        if (_pending(s.id)) return _alreadyPaid(s.id, _disbursements[s.id].status);
        return "";
    }

    /// @dev A pending disbursement seven times in eight (one id in 32 unknown), approved by another holder of
    /// the approver role 13 times in 16, else by anyone or (two in 16) by its proposer, then preferably one
    /// whose proposer holds the approver role. One call in four first has the attester revoke an
    /// attestation the programme requires (approval must then fail).
    function approveDisbursement(uint256 idSeed, uint256 callerSeed) external {
        idSeed = _mix(idSeed);
        callerSeed = _mix(callerSeed);
        if (disbursementIds.length == 0) return;
        uint256 r = callerSeed % 16;
        bytes32 id =
            idSeed % 32 == 31
                ? keccak256(abi.encode("unknown disbursement", idSeed))
                : _pickDisbursement(idSeed >> 5, r < 2);
        GhostDisbursement storage d = _disbursements[id];
        if ((idSeed >> 64) % 4 == 0) _revokeRequired(d, idSeed >> 72);
        Step memory s;
        s.g = d.programme;
        uint8 role = _programmes[s.g].approverRole;
        if (r < 2) s.caller = d.holder;
        else if (r == 2) s.caller = _actor(callerSeed >> 4);
        else s.caller = _approverFor(role, d.holder, callerSeed >> 4);
        // One call in eight names other terms than those proposed (as if the proposal changed under review).
        s.amount = d.amount;
        s.hash = d.refHash;
        if ((idSeed >> 80) % 8 == 0) {
            ++staleTermsAttempts;
            if ((idSeed >> 84) % 2 == 0) s.amount = d.amount + 1;
            else s.hash = keccak256(abi.encode("other reference", idSeed));
        }
        s.expected = _approveError(id, s);

        (bool ok, ) = _call(
            Action.Approve,
            s.caller,
            abi.encodeCall(relief.approveDisbursement, (id, uint96(s.amount), s.hash)),
            s.expected
        );
        bool entitled = s.caller != d.holder && _holds(role, s.caller);
        if (ok && !entitled) ++ghostBadApprovals;
        if (!ok || s.expected.length != 0) return;
        _approved(id, s.caller, entitled);
    }

    function _approved(bytes32 id, address approver, bool entitled) internal {
        GhostDisbursement storage d = _disbursements[id];
        d.status = IReliefLedger.DisbursementStatus.Approved;
        d.decidedBy = approver;
        d.approverEntitled = entitled;
        ++d.approvals;
        if (d.kind == IReliefLedger.RecipientKind.Beneficiary) {
            GhostHolding storage h = _holdings[d.programme][d.holder];
            h.reserved -= d.amount;
            h.disbursed += d.amount;
        } else {
            GhostProject storage j = _projects[d.recipient];
            j.reserved -= d.amount;
            j.paid += d.amount;
            j.paidMilestones |= uint32(1) << d.period;
        }
        _programmes[d.programme].disbursed += d.amount;
        bytes32 slot = keccak256(abi.encode(d.programme, d.period, d.recipient, d.kind));
        if (ghostPaidCount[slot]++ == 0) paymentSlots.push(slot);
    }

    function _approveError(bytes32 id, Step memory s) internal returns (bytes memory) {
        address caller = s.caller;
        GhostDisbursement storage d = _disbursements[id];
        GhostProgramme storage p = _programmes[d.programme];
        if (d.status == IReliefLedger.DisbursementStatus.None) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownDisbursement.selector, id);
        }
        if (d.status != IReliefLedger.DisbursementStatus.Proposed) return _wrongStatus(id, d.status);
        if (!_holds(p.approverRole, caller)) return _unauthorized(caller, p.approverRole);
        if (caller == d.holder) {
            ++selfApprovalAttempts;
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerSelfApproval.selector, id, d.holder);
        }
        if (s.amount != d.amount || s.hash != d.refHash) return _termsChanged(id, d, s);
        if (d.kind == IReliefLedger.RecipientKind.Project) {
            address payee = _projects[d.recipient].implementer;
            if (caller == payee)
                return abi.encodeWithSelector(IReliefLedger.ReliefLedgerPayeeApproval.selector, id, payee);
            return "";
        }
        address village = villageOf[d.recipient];
        if (village == address(0)) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownBeneficiary.selector, d.recipient);
        }
        if (village != d.holder && _holdings[d.programme][village].parent != d.holder) {
            return
                abi.encodeWithSelector(
                    IReliefLedger.ReliefLedgerNotBeneficiaryVillage.selector,
                    d.recipient,
                    village,
                    d.holder
                );
        }
        uint16 held = attestationsOf[d.recipient];
        if (held & p.required != p.required) {
            ++ineligibleApprovalAttempts;
            return
                abi.encodeWithSelector(
                    IReliefLedger.ReliefLedgerNotEligible.selector,
                    p.id,
                    d.recipient,
                    p.required,
                    held
                );
        }
        return "";
    }

    function _termsChanged(
        bytes32 id,
        GhostDisbursement storage d,
        Step memory s
    ) internal view returns (bytes memory) {
        bytes memory proposed = abi.encode(id, uint96(d.amount), d.refHash);
        return
            bytes.concat(
                IReliefLedger.ReliefLedgerTermsChanged.selector,
                proposed,
                abi.encode(uint96(s.amount), s.hash)
            );
    }

    /// @dev The attester revokes one of the attestations the programme requires that a pending
    /// beneficiary payment's beneficiary holds (counted as a revocation).
    function _revokeRequired(GhostDisbursement storage d, uint256 seed) internal {
        if (d.kind != IReliefLedger.RecipientKind.Beneficiary || d.status != IReliefLedger.DisbursementStatus.Proposed)
            return;
        uint16 held = attestationsOf[d.recipient] & _programmes[d.programme].required;
        for (uint8 k = 0; k < 5; ++k) {
            if (held & bitOf(k) == 0) continue;
            _attestation(Action.Revoke, d.recipient, k, _attesterOf(k, seed), seed | 1);
            return;
        }
    }

    /// @dev One call in two does nothing, so that approvals outnumber rejections. Rejected by the proposer
    /// (withdrawn) half the time, another approver three times in eight, else anyone.
    function rejectDisbursement(uint256 idSeed, uint256 callerSeed, uint256 reasonSeed) external {
        idSeed = _mix(idSeed);
        callerSeed = _mix(callerSeed);
        reasonSeed = _mix(reasonSeed);
        if (disbursementIds.length == 0 || reasonSeed % 2 == 1) return;
        bytes32 id =
            idSeed % 32 == 31
                ? keccak256(abi.encode("unknown disbursement", idSeed))
                : _pickDisbursement(idSeed >> 5, false);
        GhostDisbursement storage d = _disbursements[id];
        Step memory s;
        s.g = d.programme;
        uint8 role = _programmes[s.g].approverRole;
        uint256 r = callerSeed % 8;
        if (r < 4) s.caller = d.holder;
        else if (r < 7) s.caller = _approverFor(role, d.holder, callerSeed >> 3);
        else s.caller = _actor(callerSeed >> 3);
        s.hash = _hashOf("rejection", reasonSeed, 16);
        if (d.status == IReliefLedger.DisbursementStatus.None) {
            s.expected = abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnknownDisbursement.selector, id);
        } else if (d.status != IReliefLedger.DisbursementStatus.Proposed) s.expected = _wrongStatus(id, d.status);
        else if (s.caller == d.holder && !_isHolder(s.caller)) s.expected = _notHolder(s.caller);
        else if (s.caller != d.holder && !_holds(role, s.caller)) s.expected = _unauthorized(s.caller, role);
        else if (s.hash == bytes32(0)) s.expected = _zeroHash();

        (bool ok, ) = _call(
            Action.Reject,
            s.caller,
            abi.encodeCall(relief.rejectDisbursement, (id, s.hash)),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        d.status = IReliefLedger.DisbursementStatus.Rejected;
        d.decidedBy = s.caller;
        if (d.kind == IReliefLedger.RecipientKind.Beneficiary) {
            GhostHolding storage h = _holdings[s.g][d.holder];
            h.reserved -= d.amount;
            h.available += d.amount;
        } else {
            GhostProject storage j = _projects[d.recipient];
            j.reserved -= d.amount;
            j.available += d.amount;
        }
    }

    // ---------------------------------------------------------------- projects

    /// @dev By a holder in the programme seven times in eight; a new id while there is room (one in sixteen
    /// an existing one; once full, one call in four tries an existing one).
    function createProject(
        uint256 programmeSeed,
        uint256 callerSeed,
        uint256 implementerSeed,
        uint256 termsSeed
    ) external {
        programmeSeed = _mix(programmeSeed);
        callerSeed = _mix(callerSeed);
        implementerSeed = _mix(implementerSeed);
        termsSeed = _mix(termsSeed);
        bool full = projectIds.length >= MAX_PROJECTS;
        if (full && termsSeed % 4 != 0) return;
        Step memory s;
        s.g = programmeSeed % 2;
        s.caller = callerSeed % 8 == 7 ? _actor(callerSeed >> 3) : _pickMember(s.g, callerSeed >> 3);
        s.hash = _hashOf("project plan", termsSeed, 32);
        NewProject memory n = _newProject(full, s.caller, implementerSeed, termsSeed);
        if (_codeUsedByAnother(n.code, s.caller)) ++codeSquatAttempts;
        s.expected = _createProjectError(s, n);

        (bool ok, ) = _call(
            Action.CreateProject,
            s.caller,
            abi.encodeCall(
                relief.createProject,
                (n.code, _programmes[s.g].id, n.implementer, uint96(n.budget), n.milestoneCount, s.hash)
            ),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        projectIds.push(n.id);
        projectCodes.push(n.code);
        GhostProject storage j = _projects[n.id];
        j.programme = s.g;
        j.holder = s.caller;
        j.implementer = n.implementer;
        j.status = IReliefLedger.ProjectStatus.Active;
        j.milestoneCount = n.milestoneCount;
        j.budget = n.budget;
    }

    /// @dev A new code while there is room; one in sixteen (once full, every time) a code already used, by the
    /// caller (ProjectExists) or by another holder (a squatting order: the caller gets its own id). The id is
    /// the caller's namespaced one, keccak256(abi.encode(caller, keccak256(code))).
    function _newProject(
        bool full,
        address caller,
        uint256 implementerSeed,
        uint256 termsSeed
    ) internal view returns (NewProject memory n) {
        uint256 count = projectIds.length;
        n.code =
            (full || termsSeed % 16 == 1) && count != 0
                ? projectCodes[(termsSeed >> 4) % count]
                : string.concat("HANDLER-PRJ-", vm.toString(count));
        n.id = keccak256(abi.encode(caller, keccak256(bytes(n.code))));
        uint256 r = implementerSeed % 8;
        if (r < 4)
            n.implementer = others[2]; // the cooperative
        else if (r < 7)
            n.implementer = holders[4 + (r - 4)]; // the township or a village
        else n.implementer = _actor(implementerSeed >> 3);
        n.budget = (termsSeed >> 8) % 16 == 0 ? 0 : 1 + ((termsSeed >> 12) % MAX_BUDGET);
        uint256 m = (termsSeed >> 40) % 16;
        n.milestoneCount = m == 0 ? 0 : (m == 1 ? MAX_MILESTONES + 1 : uint8(1 + ((termsSeed >> 44) % 4)));
    }

    function _codeUsedByAnother(string memory code, address caller) internal view returns (bool) {
        for (uint256 i = 0; i < projectIds.length; ++i) {
            if (
                keccak256(bytes(projectCodes[i])) == keccak256(bytes(code)) && _projects[projectIds[i]].holder != caller
            ) {
                return true;
            }
        }
        return false;
    }

    function _createProjectError(Step memory s, NewProject memory n) internal view returns (bytes memory) {
        if (!_isHolder(s.caller)) return _notHolder(s.caller);
        if (s.caller != finance && _holdings[s.g][s.caller].parent == address(0)) return _notHolder(s.caller);
        if (s.hash == bytes32(0)) return _zeroHash();
        if (_projects[n.id].status != IReliefLedger.ProjectStatus.None) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerProjectExists.selector, n.id);
        }
        if (!_isImplementer(n.implementer)) return _notImplementer(n.implementer);
        if (n.budget == 0) return _zeroAmount();
        if (n.milestoneCount == 0 || n.milestoneCount > MAX_MILESTONES || n.budget < n.milestoneCount) {
            return abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidTerms.selector, "milestoneCount");
        }
        return "";
    }

    /// @dev By the project's holder seven times in eight; one amount in sixteen beyond the budget.
    function fundProject(uint256 projectSeed, uint256 callerSeed, uint256 amountSeed) external {
        projectSeed = _mix(projectSeed);
        callerSeed = _mix(callerSeed);
        amountSeed = _mix(amountSeed);
        if (projectIds.length == 0) return;
        bytes32 projectId = _pickProject(projectSeed, false);
        GhostProject storage j = _projects[projectId];
        Step memory s;
        s.g = j.programme;
        s.caller = _caller(callerSeed, j.holder);
        uint256 room = j.budget - j.funded;
        _pickAmount(s, amountSeed, room);
        if ((amountSeed >> 64) % 16 == 15) s.amount = room + 1;
        s.hash = _hashOf("funding document", amountSeed, 16);
        uint256 avail = _holdings[s.g][s.caller].available;
        if (j.status != IReliefLedger.ProjectStatus.Active) s.expected = _wrongProjectStatus(projectId, j.status);
        else if (s.caller != j.holder) {
            s.expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerNotProjectHolder.selector,
                projectId,
                j.holder,
                s.caller
            );
        } else if (!_isHolder(s.caller)) s.expected = _notHolder(s.caller);
        else if (s.hash == bytes32(0)) s.expected = _zeroHash();
        else if (j.funded + s.amount > j.budget) {
            s.expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerOverBudget.selector,
                projectId,
                j.budget,
                j.funded + s.amount
            );
        } else if (s.amount == 0) s.expected = _zeroAmount();
        else if (s.amount > avail) s.expected = _insufficient(_programmes[s.g].id, s.caller, avail, s.amount);

        (bool ok, bytes memory ret) = _call(
            Action.FundProject,
            s.caller,
            abi.encodeCall(relief.fundProject, (projectId, uint96(s.amount), s.hash)),
            s.expected
        );
        _audit(s, ok);
        if (!ok || s.expected.length != 0) return;
        _checkReturned(ret, abi.encode(allocationBase + ++ghostAllocations), "fundProject");
        GhostHolding storage h = _holdings[s.g][s.caller];
        h.available -= s.amount;
        h.allocated += s.amount;
        j.funded += s.amount;
        j.available += s.amount;
        _programmes[s.g].allocated += s.amount;
    }

    /// @dev A milestone not yet submitted three times in four, by the implementer seven times in eight.
    function submitMilestone(uint256 projectSeed, uint256 indexSeed, uint256 callerSeed) external {
        projectSeed = _mix(projectSeed);
        indexSeed = _mix(indexSeed);
        callerSeed = _mix(callerSeed);
        if (projectIds.length == 0) return;
        bytes32 projectId = _pickProject(projectSeed, false);
        GhostProject storage j = _projects[projectId];
        Step memory s;
        s.caller = _caller(callerSeed, j.implementer);
        uint8 index = _pickMilestone(projectId, indexSeed, false);
        s.hash = _hashOf("milestone evidence", indexSeed, 32);
        if (j.status != IReliefLedger.ProjectStatus.Active) s.expected = _wrongProjectStatus(projectId, j.status);
        else if (s.caller != j.implementer) {
            s.expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerNotProjectImplementer.selector,
                projectId,
                j.implementer,
                s.caller
            );
        } else if (!_isImplementer(s.caller)) s.expected = _notImplementer(s.caller);
        else if (index >= j.milestoneCount) s.expected = _invalidMilestone(projectId, index, j.milestoneCount);
        else if (s.hash == bytes32(0)) s.expected = _zeroHash();
        else if (j.submitted & (uint32(1) << index) != 0) {
            s.expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerMilestoneSubmitted.selector,
                projectId,
                index
            );
        }

        (bool ok, ) = _call(
            Action.SubmitMilestone,
            s.caller,
            abi.encodeCall(relief.submitMilestone, (projectId, index, s.hash)),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        j.submitted |= uint32(1) << index;
    }

    /// @dev Two calls in three do nothing, so that projects stay active. By an organisation of the programme's
    /// approver kind half the time, the inspector or rural affairs a quarter, else the project's holder or anyone.
    function acceptProject(uint256 projectSeed, uint256 callerSeed, uint256 reportSeed) external {
        projectSeed = _mix(projectSeed);
        callerSeed = _mix(callerSeed);
        reportSeed = _mix(reportSeed);
        if (projectIds.length == 0 || projectSeed % 3 != 0) return;
        bytes32 projectId = _pickProject(projectSeed / 3, false);
        GhostProject storage j = _projects[projectId];
        Step memory s;
        s.g = j.programme;
        uint256 r = callerSeed % 8;
        uint8 role = _programmes[s.g].approverRole;
        if (r < 4) s.caller = _approverFor(role, address(0), callerSeed >> 3);
        else if (r == 4) s.caller = others[1];
        else if (r == 5) s.caller = holders[2 + ((callerSeed >> 3) % 2)];
        else s.caller = r == 6 ? j.holder : _actor(callerSeed >> 3);
        s.hash = _hashOf("acceptance report", reportSeed, 16);
        if (j.status != IReliefLedger.ProjectStatus.Active) s.expected = _wrongProjectStatus(projectId, j.status);
        else if (!_holds(role, s.caller)) s.expected = _unauthorized(s.caller, role);
        else if (s.hash == bytes32(0)) s.expected = _zeroHash();
        else if (j.reserved != 0) {
            s.expected = abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerPaymentsPending.selector,
                projectId,
                j.reserved
            );
        } else if (j.submitted & ~j.paidMilestones != 0) s.expected = _milestoneUnpaid(projectId, j);

        (bool ok, ) = _call(
            Action.AcceptProject,
            s.caller,
            abi.encodeCall(relief.acceptProject, (projectId, s.hash)),
            s.expected
        );
        if (!ok || s.expected.length != 0) return;
        uint256 remainder = j.available;
        j.status = IReliefLedger.ProjectStatus.Accepted;
        j.available = 0;
        j.returned = remainder;
        _holdings[s.g][j.holder].available += remainder;
        _programmes[s.g].returned += remainder;
    }

    // ---------------------------------------------------------------- organisations

    /// @dev One call in three: the registry suspends an organisation (its role revoked at the manager) or,
    /// seven times in eight while one is suspended, reinstates it. The two rural affairs bureaus (which
    /// admit villages) are never both suspended.
    function toggleSuspension(uint256 seed) external {
        seed = _mix(seed);
        if (seed % 3 != 0) return;
        seed /= 3;
        ++calls[uint256(Action.Suspend)];
        address account = _suspendable(seed % 10);
        if ((seed >> 8) % 8 != 7) {
            for (uint256 i = 0; i < 10; ++i) {
                address a = _suspendable((seed + i) % 10);
                if (suspended[a]) {
                    account = a;
                    break;
                }
            }
        }
        if (!suspended[account] && kindOf[account] == Roles.RURAL_AFFAIRS) {
            address other = account == holders[2] ? holders[3] : holders[2];
            if (suspended[other]) account = other;
        }
        bytes memory data =
            suspended[account]
                ? abi.encodeCall(registry.reinstate, (account, keccak256("reinstated")))
                : abi.encodeCall(registry.suspend, (account, keccak256("suspended")));
        vm.prank(_admitterOf(account));
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = address(registry).call(data);
        if (!ok) return _mismatch("registry refused a suspension or reinstatement: ", ret);
        ++successes[uint256(Action.Suspend)];
        suspended[account] = !suspended[account];
    }

    function _suspendable(uint256 i) internal view returns (address) {
        return i < HOLDERS ? holders[i] : others[i - HOLDERS];
    }

    /// @dev Roles.admitterOf as the handler's accounts hold it: an active rural affairs bureau for villages,
    /// the regulator for the inspector and the cooperative, the ADMIN for the rest.
    function _admitterOf(address account) internal view returns (address) {
        uint8 kind = kindOf[account];
        if (kind == Roles.VILLAGE) return suspended[holders[2]] ? holders[3] : holders[2];
        if (kind == Roles.INSPECTOR || kind == Roles.PRODUCER) return regulator;
        return admin;
    }

    // ---------------------------------------------------------------- views for the invariants

    function programmeId(uint256 g) external view returns (bytes32) {
        return _programmes[g].id;
    }

    function ghostProgramme(uint256 g) external view returns (GhostProgramme memory) {
        return _programmes[g];
    }

    /// @dev The model's money held in programme `g`: Σ (available + reserved) over accounts and projects.
    function ghostHeld(uint256 g) external view returns (uint256 held) {
        for (uint256 i = 0; i < ACTORS; ++i) {
            GhostHolding storage h = _holdings[g][_actor(i)];
            held += h.available + h.reserved;
        }
        for (uint256 i = 0; i < projectIds.length; ++i) {
            GhostProject storage j = _projects[projectIds[i]];
            if (j.programme == g) held += j.available + j.reserved;
        }
    }

    /// @dev The invariants read the model in one call per kind of record.
    function ghostHoldings(
        uint256 g
    ) external view returns (address[ACTORS] memory actors, GhostHolding[ACTORS] memory holdings) {
        for (uint256 i = 0; i < ACTORS; ++i) {
            actors[i] = _actor(i);
            holdings[i] = _holdings[g][actors[i]];
        }
    }

    function ghostProjects() external view returns (bytes32[] memory ids, GhostProject[] memory projects) {
        ids = projectIds;
        projects = new GhostProject[](ids.length);
        for (uint256 i = 0; i < ids.length; ++i) projects[i] = _projects[ids[i]];
    }

    function ghostDisbursements()
        external
        view
        returns (bytes32[] memory ids, GhostDisbursement[] memory disbursements)
    {
        ids = disbursementIds;
        disbursements = new GhostDisbursement[](ids.length);
        for (uint256 i = 0; i < ids.length; ++i) disbursements[i] = _disbursements[ids[i]];
    }

    function ghostBeneficiaries()
        external
        view
        returns (bytes32[] memory keys_, address[] memory villages, uint16[] memory masks)
    {
        keys_ = keys;
        villages = new address[](keys_.length);
        masks = new uint16[](keys_.length);
        for (uint256 i = 0; i < keys_.length; ++i) {
            villages[i] = villageOf[keys_[i]];
            masks[i] = attestationsOf[keys_[i]];
        }
    }

    /// @dev The most approvals the model counted for one (programme, period or milestone, recipient).
    function ghostMostPaid() external view returns (uint256 most) {
        for (uint256 i = 0; i < paymentSlots.length; ++i) {
            uint256 count = ghostPaidCount[paymentSlots[i]];
            if (count > most) most = count;
        }
    }

    /// @dev "action ok/calls" for each action, for the success-mix report.
    function summary() external view returns (string memory s) {
        string[ACTIONS] memory names = [
            "appropriate",
            "allocate",
            "return",
            "register",
            "attest",
            "revoke",
            "propose",
            "approve",
            "reject",
            "createProject",
            "fundProject",
            "submitMilestone",
            "proposePayment",
            "acceptProject",
            "suspend",
            "setParent",
            "moveBeneficiary",
            "relay (refused)"
        ];
        for (uint256 i = 0; i < ACTIONS; ++i) {
            s = string.concat(s, names[i], " ", vm.toString(successes[i]), "/", vm.toString(calls[i]), "; ");
        }
        s = string.concat(
            s,
            "disbursements ",
            vm.toString(disbursementIds.length),
            "; projects ",
            vm.toString(projectIds.length),
            "; cross moves tried ",
            vm.toString(crossAttempts),
            "; self-approvals tried ",
            vm.toString(selfApprovalAttempts),
            "; second payments tried ",
            vm.toString(doublePaymentAttempts),
            "; re-parenting tried ",
            vm.toString(parentChangeAttempts),
            "; ineligible approvals tried ",
            vm.toString(ineligibleApprovalAttempts),
            _attacksSummary()
        );
    }

    /// @dev The attacks tried, for the success-mix report.
    function _attacksSummary() internal view returns (string memory) {
        return
            string.concat(
                "; relays tried ",
                vm.toString(relayAttempts),
                "; project codes squatted ",
                vm.toString(codeSquatAttempts),
                "; stale terms tried ",
                vm.toString(staleTermsAttempts),
                "; squatting tried ",
                vm.toString(squatAttempts),
                "; beneficiaries moved ",
                vm.toString(moves),
                "; extreme amounts ",
                vm.toString(extremeAmounts)
            );
    }

    // ---------------------------------------------------------------- model

    function _holds(uint64 role, address account) internal view returns (bool) {
        return kindOf[account] != 0 && kindOf[account] == role && !suspended[account];
    }

    /// @dev Organisations that hold programme money: active finance, rural affairs and villages.
    function _isHolder(address account) internal view returns (bool) {
        return _holds(Roles.FINANCE, account) || _holds(Roles.RURAL_AFFAIRS, account) || _holds(Roles.VILLAGE, account);
    }

    /// @dev Organisations that implement relief projects: active villages, producers and recipients.
    function _isImplementer(address account) internal view returns (bool) {
        return _holds(Roles.VILLAGE, account) || _holds(Roles.PRODUCER, account) || _holds(Roles.RECIPIENT, account);
    }

    /// @dev src/relief/attestations.ts: kinds 0, 1 and 4 by civil affairs, 2 and 3 by rural affairs.
    function _attesterRole(uint8 kind) internal pure returns (uint8) {
        if (kind == MINIMUM_LIVING_ALLOWANCE || kind == EXTREME_HARDSHIP || kind == LOW_INCOME_HOUSEHOLD) {
            return uint8(Roles.CIVIL_AFFAIRS);
        }
        if (kind == LIFTED_FROM_POVERTY || kind == MONITORED_HOUSEHOLD) return uint8(Roles.RURAL_AFFAIRS);
        return 0;
    }

    function _attesterOf(uint8 kind, uint256 seed) internal view returns (address) {
        if (_attesterRole(kind) == Roles.RURAL_AFFAIRS) return holders[2 + (seed % 2)];
        return others[0];
    }

    /// @dev The ledger's fixed milestone amount: the budget split evenly, the last taking the remainder.
    function _milestoneAmount(GhostProject storage j, uint8 index) internal view returns (uint256) {
        uint256 share = j.budget / j.milestoneCount;
        return index + 1 == j.milestoneCount ? j.budget - share * (j.milestoneCount - 1) : share;
    }

    function _pending(bytes32 id) internal view returns (bool) {
        IReliefLedger.DisbursementStatus status = _disbursements[id].status;
        return
            status == IReliefLedger.DisbursementStatus.Proposed || status == IReliefLedger.DisbursementStatus.Approved;
    }

    function _allocated(uint256 g, address from, address to, uint256 amount) internal {
        GhostHolding storage f = _holdings[g][from];
        GhostHolding storage t = _holdings[g][to];
        f.available -= amount;
        f.allocated += amount;
        if (t.parent == address(0)) t.parent = from;
        t.available += amount;
        t.received += amount;
        _programmes[g].allocated += amount;
        ++ghostAllocations;
    }

    function _proposed(Step memory s, IReliefLedger.RecipientKind kind, uint32 period, bytes32 recipient) internal {
        GhostDisbursement storage d = _disbursements[s.id];
        if (d.status == IReliefLedger.DisbursementStatus.None) disbursementIds.push(s.id);
        d.programme = s.g;
        d.holder = s.caller;
        d.kind = kind;
        d.status = IReliefLedger.DisbursementStatus.Proposed;
        d.period = period;
        d.recipient = recipient;
        d.amount = s.amount;
        d.decidedBy = address(0);
        d.refHash = s.hash;
    }

    /// @dev Counts attempted and successful cross-programme moves.
    function _audit(Step memory s, bool ok) internal {
        if (!s.cross) return;
        ++crossAttempts;
        if (ok) ++ghostCrossMoves;
    }

    // ---------------------------------------------------------------- pickers

    /// @dev One seed in sixteen nothing, one more than available; one in eight more than available but
    /// within the caller's balance in the other programme (when that is larger) and within `limit`; else
    /// up to min(available, limit), all of it one seed in sixteen.
    function _pickAmount(Step memory s, uint256 seed, uint256 limit) internal view {
        uint256 avail = _holdings[s.g][s.caller].available;
        uint256 otherAvail = _holdings[1 - s.g][s.caller].available;
        uint256 room = avail < limit ? avail : limit;
        uint256 r = seed % 16;
        uint256 most = otherAvail < limit ? otherAvail : limit;
        if (r == 0) s.amount = 0;
        else if (r == 1) s.amount = avail + 1;
        else if (r < 4 && most > avail) s.amount = avail + 1 + ((seed >> 8) % (most - avail));
        else if (r == 4 && room != 0) s.amount = room;
        else s.amount = 1 + ((seed >> 8) % (room == 0 ? 1000 : room));
        s.cross = s.amount > avail && s.amount <= otherAvail;
    }

    /// @dev The first holder from a random start with money in programme `g` (and a parent when
    /// `needParent`); else any holder.
    function _pickFunded(uint256 g, uint256 seed, bool needParent) internal view returns (address) {
        uint256 start = seed % HOLDERS;
        for (uint256 i = 0; i < HOLDERS; ++i) {
            address a = holders[(start + i) % HOLDERS];
            GhostHolding storage h = _holdings[g][a];
            if (h.available != 0 && (!needParent || h.parent != address(0))) return a;
        }
        return holders[start];
    }

    /// @dev A holder that `from` may allocate to: its child or one without a parent (not `from`, not the
    /// root); else any holder.
    function _pickChild(uint256 g, address from, uint256 seed) internal view returns (address) {
        uint256 start = seed % HOLDERS;
        for (uint256 i = 0; i < HOLDERS; ++i) {
            address a = holders[(start + i) % HOLDERS];
            address parent = _holdings[g][a].parent;
            if (a != from && a != finance && (parent == from || parent == address(0))) return a;
        }
        return holders[start];
    }

    /// @dev A holder in programme `g` (the root or one with a parent), preferably with money; else any holder.
    function _pickMember(uint256 g, uint256 seed) internal view returns (address) {
        uint256 start = seed % HOLDERS;
        for (uint256 i = 0; i < HOLDERS; ++i) {
            address a = holders[(start + i) % HOLDERS];
            GhostHolding storage h = _holdings[g][a];
            if (h.available != 0 && (a == finance || h.parent != address(0))) return a;
        }
        return holders[start];
    }

    /// @dev Three seeds in four a key eligible in programme `g` (from a random start); else any key.
    function _pickKey(uint256 g, uint256 seed) internal view returns (bytes32) {
        uint256 n = keys.length;
        uint256 start = (seed >> 2) % n;
        uint16 required = _programmes[g].required;
        if (seed % 4 != 3) {
            for (uint256 i = 0; i < n; ++i) {
                bytes32 key = keys[(start + i) % n];
                if (attestationsOf[key] & required == required) return key;
            }
        }
        return keys[start];
    }

    /// @dev The beneficiary's village or its parent in the programme: the parent one seed in four, the
    /// village one in four, else whichever holds more.
    function _proposerFor(uint256 g, address village, uint256 seed) internal view returns (address) {
        if (village == address(0)) return holders[seed % HOLDERS];
        address parent = _holdings[g][village].parent;
        if (parent == address(0)) return village;
        uint256 r = seed % 4;
        if (r == 0) return parent;
        if (r == 1) return village;
        return _holdings[g][parent].available > _holdings[g][village].available ? parent : village;
    }

    /// @dev One seed in sixteen period 0, one periods + 1; else from a random period, three times in four
    /// the first one without a pending or approved payment to `key`.
    function _pickPeriod(uint256 g, bytes32 key, uint256 seed) internal view returns (uint32) {
        GhostProgramme storage p = _programmes[g];
        uint256 r = seed % 16;
        if (r == 0) return 0;
        if (r == 1) return p.periods + 1;
        uint256 start = (seed >> 4) % p.periods;
        if ((seed >> 8) % 4 != 3) {
            for (uint256 i = 0; i < p.periods; ++i) {
                uint32 period = uint32(1 + ((start + i) % p.periods));
                bytes32 id = relief.disbursementIdOf(IReliefLedger.RecipientKind.Beneficiary, p.id, period, key);
                if (!_pending(id)) return period;
            }
        }
        return uint32(1 + start);
    }

    /// @dev Seven seeds in eight an Active project (for a payment: one with money and a submitted milestone
    /// not yet paid) from a random start; else any project.
    function _pickProject(uint256 seed, bool forPayment) internal view returns (bytes32) {
        uint256 n = projectIds.length;
        uint256 start = (seed >> 3) % n;
        if (seed % 8 != 7) {
            for (uint256 i = 0; i < n; ++i) {
                bytes32 id = projectIds[(start + i) % n];
                GhostProject storage j = _projects[id];
                if (j.status != IReliefLedger.ProjectStatus.Active) continue;
                if (!forPayment || (j.available != 0 && _payableMilestone(id) < j.milestoneCount)) return id;
            }
        }
        return projectIds[start];
    }

    /// @dev The first submitted milestone without a pending or approved payment, or milestoneCount.
    function _payableMilestone(bytes32 projectId) internal view returns (uint8 index) {
        GhostProject storage j = _projects[projectId];
        for (index = 0; index < j.milestoneCount; ++index) {
            if (j.submitted & (uint32(1) << index) != 0 && !_pending(_paymentId(projectId, index))) return index;
        }
    }

    function _paymentId(bytes32 projectId, uint8 index) internal view returns (bytes32) {
        bytes32 id = _programmes[_projects[projectId].programme].id;
        return relief.disbursementIdOf(IReliefLedger.RecipientKind.Project, id, index, projectId);
    }

    /// @dev One seed in sixteen milestoneCount (invalid); else from a random milestone, three times in four
    /// the first one that is payable (`forPayment`) or not yet submitted.
    function _pickMilestone(bytes32 projectId, uint256 seed, bool forPayment) internal view returns (uint8) {
        GhostProject storage j = _projects[projectId];
        if (seed % 16 == 15) return j.milestoneCount;
        uint256 start = (seed >> 4) % j.milestoneCount;
        if ((seed >> 8) % 4 != 3) {
            for (uint256 i = 0; i < j.milestoneCount; ++i) {
                uint8 index = uint8((start + i) % j.milestoneCount);
                bool submitted = j.submitted & (uint32(1) << index) != 0;
                if (forPayment ? submitted && !_pending(_paymentId(projectId, index)) : !submitted) return index;
            }
        }
        return uint8(start);
    }

    /// @dev Seven seeds in eight a Proposed disbursement (from a random start), when `byApprover` preferably
    /// one whose proposer holds the programme's approver role (to try self-approval); else any.
    function _pickDisbursement(uint256 seed, bool byApprover) internal view returns (bytes32) {
        uint256 n = disbursementIds.length;
        uint256 start = (seed >> 3) % n;
        if (seed % 8 != 7) {
            bytes32 found;
            for (uint256 i = 0; i < n; ++i) {
                bytes32 id = disbursementIds[(start + i) % n];
                GhostDisbursement storage d = _disbursements[id];
                if (d.status != IReliefLedger.DisbursementStatus.Proposed) continue;
                if (!byApprover || _holds(_programmes[d.programme].approverRole, d.holder)) return id;
                if (found == bytes32(0)) found = id;
            }
            if (found != bytes32(0)) return found;
        }
        return disbursementIds[start];
    }

    /// @dev Another holder of `role` than `proposer` (from a random start), else anyone.
    function _approverFor(uint8 role, address proposer, uint256 seed) internal view returns (address) {
        for (uint256 i = 0; i < ACTORS; ++i) {
            address a = _actor(seed + i);
            if (a != proposer && _holds(role, a)) return a;
        }
        return _actor(seed);
    }

    /// @dev Three seeds in four the kinds 0 and 3 the programmes require first, one in eight any of 0-4,
    /// one in sixteen an undefined kind (9), one a kind beyond 15; among 0-4 the first not held
    /// (`attesting`) or held.
    function _pickKind(bytes32 key, uint256 seed, bool attesting) internal view returns (uint8) {
        uint256 r = seed % 16;
        if (r == 14) return 9;
        if (r == 15) return MAX_ATTESTATION_KIND + 1;
        uint8[5] memory order = [
            MINIMUM_LIVING_ALLOWANCE,
            MONITORED_HOUSEHOLD,
            EXTREME_HARDSHIP,
            LIFTED_FROM_POVERTY,
            LOW_INCOME_HOUSEHOLD
        ];
        if (r >= 12) return order[(seed >> 4) % 5];
        uint256 start = (seed >> 4) % 2;
        for (uint256 i = 0; i < 5; ++i) {
            uint8 kind = order[(start + i) % 5];
            bool held = attestationsOf[key] & bitOf(kind) != 0;
            if (held != attesting) return kind;
        }
        return order[start];
    }

    /// @dev Who calls: seven seeds in eight `right`, else any of the eleven accounts.
    function _caller(uint256 seed, address right) internal view returns (address) {
        return seed % 8 == 7 ? _actor(seed >> 3) : right;
    }

    function _actor(uint256 seed) internal view returns (address) {
        uint256 i = seed % ACTORS;
        return i < HOLDERS ? holders[i] : others[i - HOLDERS];
    }

    /// @dev A fuzzer input spread evenly: the fuzzer favours small and edge values, which would otherwise
    /// pick the same (mostly refused) choices again and again.
    function _mix(uint256 seed) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode("relief handler", seed)));
    }

    /// @dev keccak256 of the tag and seed; zero one seed in `oneIn` (bits 128 and up).
    function _hashOf(string memory tag, uint256 seed, uint256 oneIn) internal pure returns (bytes32) {
        if ((seed >> 128) % oneIn == oneIn - 1) return bytes32(0);
        return keccak256(abi.encode(tag, seed));
    }

    // ---------------------------------------------------------------- outcomes

    /// @dev Calls the ledger as `caller` and compares the outcome with the model's `expected` revert
    /// data (empty: success).
    function _call(
        Action action,
        address caller,
        bytes memory data,
        bytes memory expected
    ) internal returns (bool ok, bytes memory ret) {
        ++calls[uint256(action)];
        vm.prank(caller);
        // solhint-disable-next-line avoid-low-level-calls
        (ok, ret) = address(relief).call(data);
        if (ok) {
            ++successes[uint256(action)];
            if (expected.length != 0) {
                _mismatch(string.concat("action ", vm.toString(uint256(action)), " succeeded, model: "), expected);
            }
        } else if (keccak256(ret) != keccak256(expected)) {
            _mismatch(string.concat("action ", vm.toString(uint256(action)), " reverted against the model: "), ret);
        }
    }

    function _checkReturned(bytes memory ret, bytes memory expected, string memory what) internal {
        if (keccak256(ret) != keccak256(expected)) _mismatch(string.concat(what, " returned another value: "), ret);
    }

    function _mismatch(string memory what, bytes memory data) internal {
        if (mismatches++ == 0) firstMismatch = string.concat(what, vm.toString(data));
    }

    function _managed(address caller) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, caller);
    }

    function _unauthorized(address caller, uint64 role) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerUnauthorized.selector, caller, role);
    }

    function _notHolder(address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotHolder.selector, account);
    }

    function _notImplementer(address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerNotImplementer.selector, account);
    }

    function _insufficient(
        bytes32 id,
        address holder,
        uint256 available,
        uint256 amount
    ) internal pure returns (bytes memory) {
        return
            abi.encodeWithSelector(
                IReliefLedger.ReliefLedgerInsufficientBalance.selector,
                id,
                holder,
                available,
                amount
            );
    }

    function _alreadyPaid(bytes32 id, IReliefLedger.DisbursementStatus status) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerAlreadyPaid.selector, id, status);
    }

    function _wrongStatus(bytes32 id, IReliefLedger.DisbursementStatus status) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerWrongDisbursementStatus.selector, id, status);
    }

    function _wrongProjectStatus(
        bytes32 projectId,
        IReliefLedger.ProjectStatus status
    ) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerWrongProjectStatus.selector, projectId, status);
    }

    function _invalidMilestone(bytes32 projectId, uint8 index, uint8 count) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerInvalidMilestone.selector, projectId, index, count);
    }

    function _milestoneUnpaid(bytes32 projectId, GhostProject storage j) internal view returns (bytes memory) {
        uint32 unpaid = j.submitted & ~j.paidMilestones;
        uint256 lowest = 0;
        while (unpaid & (uint32(1) << uint32(lowest)) == 0) ++lowest;
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerMilestoneUnpaid.selector, projectId, lowest);
    }

    function _zeroHash() internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerZeroHash.selector);
    }

    function _zeroAmount() internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IReliefLedger.ReliefLedgerZeroAmount.selector);
    }
}
