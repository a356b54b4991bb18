// SPDX-License-Identifier: Apache-2.0
// The charity ledger's invariant handler (test/charity/CharityLedger.invariants.t.sol): a stateful handler.
// solhint-disable func-name-mixedcase, one-contract-per-file, max-states-count, gas-increment-by-one, gas-small-strings
pragma solidity ^0.8.24;

import {IAccessManaged} from "@openzeppelin/contracts/access/manager/IAccessManaged.sol";
import {IAccessManager} from "@openzeppelin/contracts/access/manager/IAccessManager.sol";
import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {CharityLedger} from "../../contracts/charity/CharityLedger.sol";
import {ICharityLedger} from "../../contracts/interfaces/ICharityLedger.sol";
import {cashOf, goodsOf, refOf} from "../utils/CharityLedgerFixture.sol";

/**
 * @dev Drives the ledger with random sequences: projects proposed, approved and (rarely) closed; cash
 * donations recorded singly and in batches with repeated references (across calls and within a
 * batch), goods recorded and dispatched, money disbursed for both purposes, hand-overs confirmed,
 * grants between projects of both charities, reversals proposed, approved and rejected. A ghost
 * model keeps every project's flows and every record; each call's outcome (success with the
 * predicted return value, or the exact revert) is compared with what the model predicts, and a
 * mismatch is recorded rather than reverted (failOnRevert: false). Inputs are bounded so that most
 * calls succeed: callers are the right account about nine times in ten, amounts are within what is
 * available about nine times in ten, and pickers prefer records in the state an action needs.
 *
 * The handler is also an insider attacking the ledger: one call in four is first relayed through
 * `AccessManager.execute` by the same caller (it must be refused, by the manager or by the ledger's
 * RelayedCall, and change nothing), and one donation or goods valuation in sixteen is extreme (the
 * ledger's MAX_AMOUNT exactly, or anything above it up to 2^128 - 1), so that the model checks that
 * no accepted sequence overflows a counter and halts other charities' donations.
 */
contract CharityLedgerHandler is CommonBase, StdUtils {
    enum Action {
        ProposeProject,
        ApproveProject,
        CloseProject,
        RecordDonation,
        RecordDonations,
        RecordGoods,
        DispatchGoods,
        ConfirmGoodsReceipt,
        Disburse,
        ConfirmDisbursement,
        Grant,
        ProposeReversal,
        ApproveReversal,
        RejectReversal
    }

    uint256 internal constant ACTIONS = 14;
    uint256 internal constant MAX_PROJECTS = 12;
    uint256 internal constant MAX_AMOUNT = 1e9; // fen per ordinary donation: ten million yuan
    /// @dev The ledger's bounds: one record's amount, and a project's cumulative inflow (exclusive).
    uint256 internal constant LEDGER_MAX = 2 ** 48 - 1;
    uint256 internal constant INFLOW_BOUND = 2 ** 80;
    uint256 internal constant MAX_BATCH = 12;
    uint256 internal constant MAX_QUANTITY = 1e6;

    struct GhostProject {
        address charity;
        ICharityLedger.ProjectStatus status;
        uint256 received;
        uint256 reversed;
        uint256 disbursed;
        uint256 programme;
        uint256 admin;
        uint256 grantedOut;
        uint256 grantedIn;
        uint256 donationCount;
        uint256 outflowCount;
    }

    struct GhostDonation {
        uint256 amount; // the first (and only) amount or quantity recorded under the id
        bytes32 projectId;
        ICharityLedger.DonationState state;
        bool isGoods;
        uint256 inflowBefore; // cash: the project's inflow before it; goods: its valuation
    }

    struct GhostHandover {
        bytes32 id;
        bytes32 source; // project (disbursement) or lot (dispatch)
        address recipient;
        uint256 amount;
        bool confirmed;
    }

    CharityLedger public ledger;
    IAccessManager public manager;
    uint256 public relays;
    address public civilAffairs;
    address public stranger;
    address[2] public charities;
    address[2] public recipients;

    bytes32[] public projectIds;
    mapping(bytes32 projectId => GhostProject) internal _projects;
    mapping(bytes32 projectId => string code) internal _codes;
    /// @dev Distinct cash donation ids recorded, in order; lots likewise.
    bytes32[] public cashIds;
    bytes32[] public lotIds;
    mapping(bytes32 id => GhostDonation) internal _donations;
    mapping(bytes32 lotId => uint256) public ghostDispatched;
    mapping(bytes32 lotId => uint256) public ghostDispatchCount;
    mapping(address charity => uint256) public ghostGranted;
    uint256 public ghostGoodsValuation;
    GhostHandover[] internal _disbursements;
    GhostHandover[] internal _dispatches;

    /// @dev References handed out so far (cash and goods share the id space).
    bytes32[] internal _refs;

    uint256[ACTIONS] public calls;
    uint256[ACTIONS] public successes;
    uint256 public mismatches;
    string public firstMismatch;

    constructor(
        CharityLedger ledger_,
        address civilAffairs_,
        address[2] memory charities_,
        address[2] memory recipients_,
        address stranger_
    ) {
        ledger = ledger_;
        manager = IAccessManager(ledger_.authority());
        civilAffairs = civilAffairs_;
        charities = charities_;
        recipients = recipients_;
        stranger = stranger_;
    }

    /// @dev Set-up only (not a target): an approved project of charity `i` holding a donation of 100,000 yuan.
    function seedProject(uint256 i) external {
        string memory code = _codeOf(projectIds.length);
        vm.prank(charities[i]);
        bytes32 id = ledger.proposeProject(code, 1e12, keccak256(abi.encode("permit", code)), bytes32(0));
        _codes[id] = code;
        vm.prank(civilAffairs);
        ledger.approveProject(id);
        _addProject(id, charities[i]);
        _projects[id].status = ICharityLedger.ProjectStatus.Approved;
        bytes32 ref = _pickRef(0, 0);
        vm.prank(charities[i]);
        ledger.recordDonation(id, cashOf(ref, 1e7, ICharityLedger.Channel.Bank));
        _noteCash(id, keccak256(abi.encode(charities[i], ref)), 1e7);
    }

    // ---------------------------------------------------------------- projects

    function proposeProject(uint256 charitySeed, uint256 target) external {
        _proposeProject(charitySeed, target);
    }

    /// @dev When the picked project is not Proposed, three calls in four have a charity propose one
    /// first (counted as a proposal) while there is room, so that approvals are exercised.
    function approveProject(uint256 projectSeed, uint256 callerSeed) external {
        bytes32 id = _pickProject(projectSeed, ICharityLedger.ProjectStatus.Proposed);
        if (
            _projects[id].status != ICharityLedger.ProjectStatus.Proposed &&
            projectSeed % 4 != 3 &&
            projectIds.length < MAX_PROJECTS
        ) {
            (bool proposed, bytes32 fresh) = _proposeProject(projectSeed % 10 == 9 ? 0 : projectSeed, callerSeed);
            if (proposed) id = fresh;
        }
        GhostProject storage g = _projects[id];
        address caller = callerSeed % 10 == 9 ? g.charity : civilAffairs;
        bytes memory expected;
        if (caller != civilAffairs) expected = _managed(caller);
        else if (g.status != ICharityLedger.ProjectStatus.Proposed) expected = _wrongStatus(id, g.status);
        (bool ok, ) = _call(
            Action.ApproveProject,
            "approveProject",
            caller,
            abi.encodeCall(ledger.approveProject, (id)),
            expected
        );
        if (ok) g.status = ICharityLedger.ProjectStatus.Approved;
    }

    /// @dev Below MAX_PROJECTS a fresh code; from there on the code of an existing project, proposed by
    /// either charity: its owner meets ProjectExists, the other charity (a squatter's attempt) gets a
    /// project of its own under the same code (ids are namespaced by charity), up to twice MAX_PROJECTS.
    function _proposeProject(uint256 charitySeed, uint256 target) internal returns (bool ok, bytes32 id) {
        address charity = charities[charitySeed % 2];
        address caller = charitySeed % 10 == 9 ? civilAffairs : charity;
        uint256 n = projectIds.length;
        if (n >= 2 * MAX_PROJECTS) return (false, bytes32(0));
        string memory code = n >= MAX_PROJECTS ? _codes[projectIds[target % n]] : _codeOf(n);
        id = keccak256(abi.encode(charity, keccak256(bytes(code))));
        bytes memory expected;
        if (caller != charity) expected = _managed(caller);
        else if (_projects[id].status != ICharityLedger.ProjectStatus.None) {
            expected = abi.encodeWithSelector(ICharityLedger.CharityLedgerProjectExists.selector, id);
        }
        bytes memory data = abi.encodeCall(
            ledger.proposeProject,
            (code, uint96(bound(target, 0, 1e12)), keccak256(abi.encode("permit", code)), bytes32(target))
        );
        bytes memory ret;
        (ok, ret) = _call(Action.ProposeProject, "proposeProject", caller, data, expected);
        if (!ok) return (ok, id);
        if (abi.decode(ret, (bytes32)) != id) _mismatch("proposeProject returned another id", ret);
        _addProject(id, caller);
        _codes[id] = code;
    }

    function _codeOf(uint256 n) internal pure returns (string memory) {
        return string.concat("P-", vm.toString(n));
    }

    /// @dev Closes a project only while its charity keeps two other approved ones, so that
    /// donations keep flowing.
    function closeProject(uint256 projectSeed, uint256 callerSeed) external {
        bytes32 id = projectIds[projectSeed % projectIds.length];
        GhostProject storage g = _projects[id];
        if (_approvedCount(g.charity) < 3) return;
        address caller = _recordCaller(callerSeed, g.charity);
        bytes memory expected = _charityOrCivilAffairs(id, g.charity, caller);
        if (
            expected.length == 0 &&
            g.status != ICharityLedger.ProjectStatus.Proposed &&
            g.status != ICharityLedger.ProjectStatus.Approved
        ) expected = _wrongStatus(id, g.status);
        (bool ok, ) = _call(
            Action.CloseProject,
            "closeProject",
            caller,
            abi.encodeCall(ledger.closeProject, (id)),
            expected
        );
        if (ok) g.status = ICharityLedger.ProjectStatus.Closed;
    }

    // ---------------------------------------------------------------- donations

    function recordDonation(
        uint256 projectSeed,
        uint256 callerSeed,
        uint256 refSeed,
        uint256 amountSeed,
        uint8 channel
    ) external {
        bytes32 projectId = _pickProject(projectSeed, ICharityLedger.ProjectStatus.Approved);
        address charity = _projects[projectId].charity;
        address caller = _recordCaller(callerSeed, charity);
        uint256 amount = amountSeed % 32 == 31 ? 0 : _amount(amountSeed);
        ICharityLedger.CashDonation memory d = cashOf(
            _pickRef(refSeed, 8),
            amount,
            ICharityLedger.Channel(channel % 5)
        );
        bytes32 id = keccak256(abi.encode(charity, d.refHash));

        bytes memory expected = _receiving(projectId, caller);
        if (expected.length == 0) {
            if (_donations[id].state != ICharityLedger.DonationState.None) {
                expected = abi.encodeWithSelector(ICharityLedger.CharityLedgerDuplicateDonation.selector, id);
            } else if (amount == 0) {
                expected = abi.encodeWithSelector(ICharityLedger.CharityLedgerZeroAmount.selector);
            } else if (amount > LEDGER_MAX) {
                expected = _tooLarge(amount, LEDGER_MAX);
            } else if (_inflow(_projects[projectId]) + amount >= INFLOW_BOUND) {
                expected = _tooLarge(_inflow(_projects[projectId]) + amount, INFLOW_BOUND - 1);
            }
        }
        (bool ok, bytes memory ret) = _call(
            Action.RecordDonation,
            "recordDonation",
            caller,
            abi.encodeCall(ledger.recordDonation, (projectId, d)),
            expected
        );
        if (!ok) return;
        if (abi.decode(ret, (bytes32)) != id) _mismatch("recordDonation returned another id", ret);
        _noteCash(projectId, id, amount);
    }

    /// @dev A batch of 1..12: a quarter of its references repeat an earlier one of the batch, an
    /// eighth one handed out before (recorded or not), the rest are fresh; one amount in 64 is zero.
    function recordDonations(uint256 projectSeed, uint256 callerSeed, uint256 size, uint256 seed) external {
        bytes32 projectId = _pickProject(projectSeed, ICharityLedger.ProjectStatus.Approved);
        address charity = _projects[projectId].charity;
        address caller = _recordCaller(callerSeed, charity);
        ICharityLedger.CashDonation[] memory batch = new ICharityLedger.CashDonation[](bound(size, 1, MAX_BATCH));
        for (uint256 i = 0; i < batch.length; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            bytes32 ref;
            if (r % 8 < 2 && i > 0) ref = batch[(r >> 8) % i].refHash;
            else ref = _pickRef(r >> 16, r % 8 == 2 ? 1 : 0);
            uint256 amount = (r >> 128) % 64 == 0 ? 0 : _amount(r >> 64);
            batch[i] = cashOf(ref, amount, ICharityLedger.Channel((r >> 32) % 5));
        }

        (bytes32[] memory ids, bool[] memory isNew, uint256 count, bytes memory expected) = _batchModel(
            projectId,
            charity,
            caller,
            batch
        );
        (bool ok, bytes memory ret) = _call(
            Action.RecordDonations,
            "recordDonations",
            caller,
            abi.encodeCall(ledger.recordDonations, (projectId, batch)),
            expected
        );
        if (!ok) return;
        if (abi.decode(ret, (uint256)) != count) _mismatch("recordDonations returned another count", ret);
        for (uint256 i = 0; i < batch.length; ++i) if (isNew[i]) _noteCash(projectId, ids[i], batch[i].amount);
    }

    /// @dev The model of a batch: new = not recorded before and not earlier in the batch; a new zero or
    /// extreme amount reverts all; the batch's inflow is checked once, after every record.
    function _batchModel(
        bytes32 projectId,
        address charity,
        address caller,
        ICharityLedger.CashDonation[] memory batch
    ) internal view returns (bytes32[] memory ids, bool[] memory isNew, uint256 count, bytes memory expected) {
        ids = new bytes32[](batch.length);
        isNew = new bool[](batch.length);
        uint256 inflow = _inflow(_projects[projectId]);
        expected = _receiving(projectId, caller);
        for (uint256 i = 0; i < batch.length && expected.length == 0; ++i) {
            ids[i] = keccak256(abi.encode(charity, batch[i].refHash));
            isNew[i] = _donations[ids[i]].state == ICharityLedger.DonationState.None;
            for (uint256 j = 0; j < i && isNew[i]; ++j) isNew[i] = ids[j] != ids[i];
            if (!isNew[i]) continue;
            if (batch[i].amount == 0)
                expected = abi.encodeWithSelector(ICharityLedger.CharityLedgerZeroAmount.selector);
            else if (batch[i].amount > LEDGER_MAX) expected = _tooLarge(batch[i].amount, LEDGER_MAX);
            inflow += batch[i].amount;
            ++count;
        }
        if (expected.length == 0 && inflow >= INFLOW_BOUND) expected = _tooLarge(inflow, INFLOW_BOUND - 1);
    }

    /// @dev One goods reference in eight is one handed out before (cash and goods share the id space).
    function recordGoods(
        uint256 projectSeed,
        uint256 callerSeed,
        uint256 refSeed,
        uint256 quantitySeed,
        uint256 valuation
    ) external {
        bytes32 projectId = _pickProject(projectSeed, ICharityLedger.ProjectStatus.Approved);
        address charity = _projects[projectId].charity;
        address caller = _recordCaller(callerSeed, charity);
        uint256 quantity = quantitySeed % 32 == 31 ? 0 : bound(quantitySeed, 1, MAX_QUANTITY);
        valuation = valuation % 16 == 15 ? _amount(valuation >> 4) : bound(valuation, 0, MAX_AMOUNT);
        ICharityLedger.GoodsDonation memory g = goodsOf(_pickRef(refSeed, 8), quantity, valuation);
        bytes32 id = keccak256(abi.encode(charity, g.refHash));

        bytes memory expected = _receiving(projectId, caller);
        if (expected.length == 0) {
            // A duplicate is reported before a zero quantity, as for cash donations.
            if (_donations[id].state != ICharityLedger.DonationState.None) {
                expected = abi.encodeWithSelector(ICharityLedger.CharityLedgerDuplicateDonation.selector, id);
            } else if (quantity == 0) {
                expected = abi.encodeWithSelector(ICharityLedger.CharityLedgerZeroAmount.selector);
            } else if (valuation > LEDGER_MAX) {
                expected = _tooLarge(valuation, LEDGER_MAX);
            }
        }
        (bool ok, bytes memory ret) = _call(
            Action.RecordGoods,
            "recordGoods",
            caller,
            abi.encodeCall(ledger.recordGoods, (projectId, g)),
            expected
        );
        if (!ok) return;
        if (abi.decode(ret, (bytes32)) != id) _mismatch("recordGoods returned another id", ret);
        _donations[id] = GhostDonation(quantity, projectId, ICharityLedger.DonationState.Recorded, true, valuation);
        lotIds.push(id);
        ghostGoodsValuation += valuation;
    }

    // ---------------------------------------------------------------- goods hand-over

    function dispatchGoods(uint256 lotSeed, uint256 callerSeed, uint256 recipientSeed, uint256 quantitySeed) external {
        if (lotIds.length == 0) return;
        bytes32 lotId = _pickLot(lotSeed);
        address charity = _projects[_donations[lotId].projectId].charity;
        address caller = callerSeed % 10 == 9 ? _otherCharity(charity) : charity;
        address recipient = recipientSeed % 16 == 15 ? stranger : recipients[recipientSeed % 2];
        uint256 remaining = _donations[lotId].amount - ghostDispatched[lotId];
        uint256 quantity =
            remaining == 0 || quantitySeed % 10 == 9
                ? remaining + 1 + ((quantitySeed >> 8) % 2 == 0 ? 0 : quantitySeed % 100)
                : bound(quantitySeed, 1, remaining);

        (bool ok, bytes memory ret) = _call(
            Action.DispatchGoods,
            "dispatchGoods",
            caller,
            _dispatchData(lotId, recipient, quantity),
            _dispatchError(lotId, caller, recipient, quantity)
        );
        if (!ok) return;
        bytes32 id = keccak256(abi.encode(lotId, ghostDispatchCount[lotId]++));
        if (abi.decode(ret, (bytes32)) != id) _mismatch("dispatchGoods returned another id", ret);
        ghostDispatched[lotId] += quantity;
        _dispatches.push(GhostHandover(id, lotId, recipient, quantity, false));
    }

    function _dispatchData(bytes32 lotId, address recipient, uint256 quantity) internal view returns (bytes memory) {
        return
            abi.encodeCall(
                ledger.dispatchGoods,
                (lotId, recipient, uint88(quantity), keccak256(abi.encode("waybill", lotId, quantity)))
            );
    }

    function _dispatchError(
        bytes32 lotId,
        address caller,
        address recipient,
        uint256 quantity
    ) internal view returns (bytes memory) {
        bytes32 projectId = _donations[lotId].projectId;
        address charity = _projects[projectId].charity;
        uint256 remaining = _donations[lotId].amount - ghostDispatched[lotId];
        ICharityLedger.DonationState state = _donations[lotId].state;
        if (state != ICharityLedger.DonationState.Recorded) return _wrongDonationState(lotId, state);
        if (caller != charity) return _notProjectCharity(projectId, caller, charity);
        if (recipient == stranger) return _notRecipient(recipient);
        if (quantity > remaining) {
            return
                abi.encodeWithSelector(
                    ICharityLedger.CharityLedgerInsufficientGoods.selector,
                    lotId,
                    remaining,
                    quantity
                );
        }
        return "";
    }

    function confirmGoodsReceipt(uint256 seed, uint256 callerSeed) external {
        _confirmHandover(_dispatches, true, seed, callerSeed);
    }

    // ---------------------------------------------------------------- money out

    /// @dev Both purposes: bit 4 of the recipient seed picks one.
    function disburse(uint256 projectSeed, uint256 callerSeed, uint256 recipientSeed, uint256 amountSeed) external {
        bytes32 projectId = _pickFunded(projectSeed);
        GhostProject storage g = _projects[projectId];
        address caller = callerSeed % 10 == 9 ? _otherCharity(g.charity) : g.charity;
        address recipient = recipientSeed % 16 == 15 ? stranger : recipients[recipientSeed % 2];
        ICharityLedger.Purpose purpose = ICharityLedger.Purpose((recipientSeed >> 4) % 2);
        uint256 amount = _outAmount(_available(g), amountSeed);

        (bool ok, bytes memory ret) = _call(
            Action.Disburse,
            "disburse",
            caller,
            _disburseData(projectId, recipient, purpose, amount),
            _disburseError(projectId, caller, recipient, amount)
        );
        if (!ok) return;
        bytes32 id = keccak256(abi.encode(projectId, g.outflowCount++));
        if (abi.decode(ret, (bytes32)) != id) _mismatch("disburse returned another id", ret);
        g.disbursed += amount;
        if (purpose == ICharityLedger.Purpose.Programme) g.programme += amount;
        else g.admin += amount;
        _disbursements.push(GhostHandover(id, projectId, recipient, amount, false));
    }

    function _disburseData(
        bytes32 projectId,
        address recipient,
        ICharityLedger.Purpose purpose,
        uint256 amount
    ) internal view returns (bytes memory) {
        bytes32 invoice = keccak256(abi.encode("invoice", projectId, amount));
        return abi.encodeCall(ledger.disburse, (projectId, recipient, purpose, uint88(amount), invoice));
    }

    function _disburseError(
        bytes32 projectId,
        address caller,
        address recipient,
        uint256 amount
    ) internal view returns (bytes memory) {
        GhostProject storage g = _projects[projectId];
        uint256 avail = _available(g);
        if (caller != g.charity) return _notProjectCharity(projectId, caller, g.charity);
        if (recipient == stranger) return _notRecipient(recipient);
        if (amount > avail) return _insufficient(projectId, avail, amount);
        return "";
    }

    function confirmDisbursement(uint256 seed, uint256 callerSeed) external {
        _confirmHandover(_disbursements, false, seed, callerSeed);
    }

    /// @dev From a project holding money, to another approved one of either charity.
    function grant(uint256 fromSeed, uint256 toSeed, uint256 callerSeed, uint256 amountSeed) external {
        bytes32 fromId = _pickFunded(fromSeed);
        bytes32 toId = _pickGrantee(toSeed, fromId);
        address owner = _projects[fromId].charity;
        address caller = callerSeed % 10 == 9 ? _otherCharity(owner) : owner;
        uint256 amount = _outAmount(_available(_projects[fromId]), amountSeed);

        (bool ok, ) = _call(
            Action.Grant,
            "grant",
            caller,
            abi.encodeCall(ledger.grant, (fromId, toId, uint128(amount), keccak256(abi.encode("grant", amountSeed)))),
            _grantError(fromId, toId, caller, amount)
        );
        if (!ok) return;
        _projects[fromId].grantedOut += amount;
        ++_projects[fromId].outflowCount;
        _projects[toId].grantedIn += amount;
        ghostGranted[caller] += amount;
    }

    function _grantError(
        bytes32 fromId,
        bytes32 toId,
        address caller,
        uint256 amount
    ) internal view returns (bytes memory) {
        GhostProject storage from = _projects[fromId];
        GhostProject storage to = _projects[toId];
        uint256 avail = _available(from);
        if (fromId == toId) return abi.encodeWithSelector(ICharityLedger.CharityLedgerSameProject.selector, fromId);
        if (amount > LEDGER_MAX) return _tooLarge(amount, LEDGER_MAX);
        if (caller != from.charity) return _notProjectCharity(fromId, caller, from.charity);
        if (to.status != ICharityLedger.ProjectStatus.Approved) return _wrongStatus(toId, to.status);
        if (amount > avail) return _insufficient(fromId, avail, amount);
        if (_inflow(to) + amount >= INFLOW_BOUND) return _tooLarge(_inflow(to) + amount, INFLOW_BOUND - 1);
        return "";
    }

    // ---------------------------------------------------------------- corrections

    /// @dev One call in sixteen names a goods lot (corrected while none of it is dispatched).
    function proposeReversal(uint256 seed, uint256 callerSeed) external {
        if (cashIds.length == 0) return;
        bytes32 id =
            seed % 16 == 15 && lotIds.length != 0
                ? lotIds[(seed >> 8) % lotIds.length]
                : _pickCash(seed, ICharityLedger.DonationState.Recorded);
        _proposeReversal(id, callerSeed);
    }

    /// @dev When no reversal is proposed, three calls in four have the charity of a recorded donation
    /// propose one first (counted as a proposal), so that approvals are exercised.
    function approveReversal(uint256 seed, uint256 callerSeed) external {
        bytes32 id = _reversalCandidate(seed, callerSeed);
        if (id == bytes32(0)) return;
        GhostDonation storage d = _donations[id];
        GhostProject storage g = _projects[d.projectId];
        address caller = callerSeed % 10 == 9 ? g.charity : civilAffairs;
        bytes memory expected;
        if (caller != civilAffairs) expected = _managed(caller);
        else if (d.state != ICharityLedger.DonationState.ReversalProposed) expected = _wrongDonationState(id, d.state);
        else expected = _usedError(id);
        (bool ok, ) = _call(
            Action.ApproveReversal,
            "approveReversal",
            caller,
            abi.encodeCall(ledger.approveReversal, (id)),
            expected
        );
        if (!ok) return;
        d.state = ICharityLedger.DonationState.Reversed;
        if (d.isGoods) {
            ghostGoodsValuation -= d.inflowBefore;
            return;
        }
        g.reversed += d.amount;
        ++g.outflowCount;
    }

    /// @dev The rule of corrections: refused once an outflow may have used the cash (its range starts
    /// below the project's outflow) or once goods of the lot were dispatched. (An unused donation is
    /// always covered by the balance, so InsufficientBalance cannot follow.)
    function _usedError(bytes32 id) internal view returns (bytes memory) {
        GhostDonation storage d = _donations[id];
        if (d.isGoods) {
            uint256 dispatched = ghostDispatched[id];
            if (dispatched == 0) return "";
            return abi.encodeWithSelector(ICharityLedger.CharityLedgerGoodsDispatched.selector, id, dispatched);
        }
        uint256 outflow = _outflow(_projects[d.projectId]);
        if (d.inflowBefore >= outflow) return "";
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerDonationUsed.selector, id, d.inflowBefore, outflow);
    }

    function rejectReversal(uint256 seed, uint256 callerSeed) external {
        bytes32 id = _reversalCandidate(seed, callerSeed);
        if (id == bytes32(0)) return;
        GhostDonation storage d = _donations[id];
        address caller = callerSeed % 10 == 9 ? _projects[d.projectId].charity : civilAffairs;
        bytes memory expected;
        if (caller != civilAffairs) expected = _managed(caller);
        else if (d.state != ICharityLedger.DonationState.ReversalProposed) expected = _wrongDonationState(id, d.state);
        (bool ok, ) = _call(
            Action.RejectReversal,
            "rejectReversal",
            caller,
            abi.encodeCall(ledger.rejectReversal, (id, bytes32(seed))),
            expected
        );
        if (ok) d.state = ICharityLedger.DonationState.Recorded;
    }

    // ---------------------------------------------------------------- views for the invariants

    function projectCount() external view returns (uint256) {
        return projectIds.length;
    }

    function cashCount() external view returns (uint256) {
        return cashIds.length;
    }

    function lotCount() external view returns (uint256) {
        return lotIds.length;
    }

    function ghostProject(bytes32 projectId) external view returns (GhostProject memory) {
        return _projects[projectId];
    }

    function ghostDonation(bytes32 id) external view returns (GhostDonation memory) {
        return _donations[id];
    }

    function dispatchCount() external view returns (uint256) {
        return _dispatches.length;
    }

    function dispatchAt(uint256 i) external view returns (GhostHandover memory) {
        return _dispatches[i];
    }

    function disbursementCount() external view returns (uint256) {
        return _disbursements.length;
    }

    function disbursementAt(uint256 i) external view returns (GhostHandover memory) {
        return _disbursements[i];
    }

    /// @dev "action ok/calls" for each action, for the success-mix report.
    function summary() external view returns (string memory s) {
        string[ACTIONS] memory names = [
            "proposeProject",
            "approveProject",
            "closeProject",
            "recordDonation",
            "recordDonations",
            "recordGoods",
            "dispatchGoods",
            "confirmGoodsReceipt",
            "disburse",
            "confirmDisbursement",
            "grant",
            "proposeReversal",
            "approveReversal",
            "rejectReversal"
        ];
        for (uint256 i = 0; i < ACTIONS; ++i) {
            s = string.concat(s, names[i], " ", vm.toString(successes[i]), "/", vm.toString(calls[i]), "; ");
        }
    }

    // ---------------------------------------------------------------- model

    function _available(GhostProject storage g) internal view returns (uint256) {
        return _inflow(g) - _outflow(g);
    }

    function _inflow(GhostProject storage g) internal view returns (uint256) {
        return g.received + g.grantedIn;
    }

    function _outflow(GhostProject storage g) internal view returns (uint256) {
        return g.reversed + g.disbursed + g.grantedOut;
    }

    /// @dev Fifteen seeds in sixteen: an ordinary amount (1 fen to ten million yuan); else an extreme
    /// one: the ledger's MAX_AMOUNT exactly, or anything above it up to 2^128 - 1.
    function _amount(uint256 seed) internal pure returns (uint256) {
        if (seed % 16 != 15) return bound(seed, 1, MAX_AMOUNT);
        if ((seed >> 4) % 2 == 0) return LEDGER_MAX;
        return bound(seed >> 5, LEDGER_MAX + 1, type(uint128).max);
    }

    function _tooLarge(uint256 amount, uint256 max) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerAmountTooLarge.selector, amount, max);
    }

    /// @dev The contract's `_receiving` check in order: Approved, then charity or civil affairs.
    function _receiving(bytes32 projectId, address caller) internal view returns (bytes memory) {
        GhostProject storage g = _projects[projectId];
        if (g.status != ICharityLedger.ProjectStatus.Approved) return _wrongStatus(projectId, g.status);
        return _charityOrCivilAffairs(projectId, g.charity, caller);
    }

    /// @dev Every charity of the handler stays active, so the project's charity is always admitted.
    function _charityOrCivilAffairs(
        bytes32 projectId,
        address charity,
        address caller
    ) internal view returns (bytes memory) {
        if (caller == charity || caller == civilAffairs) return "";
        if (caller == charities[0] || caller == charities[1]) return _notProjectCharity(projectId, caller, charity);
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerUnauthorized.selector, caller, Roles.CIVIL_AFFAIRS);
    }

    function _proposeReversal(bytes32 id, uint256 callerSeed) internal {
        GhostDonation storage d = _donations[id];
        address charity = _projects[d.projectId].charity;
        address caller = callerSeed % 10 == 9 ? _otherCharity(charity) : charity;
        bytes memory expected;
        if (d.state != ICharityLedger.DonationState.Recorded) expected = _wrongDonationState(id, d.state);
        else if (caller != charity) expected = _notProjectCharity(d.projectId, caller, charity);
        else expected = _usedError(id);
        (bool ok, ) = _call(
            Action.ProposeReversal,
            "proposeReversal",
            caller,
            abi.encodeCall(ledger.proposeReversal, (id, keccak256(abi.encode("reason", id)))),
            expected
        );
        if (ok) d.state = ICharityLedger.DonationState.ReversalProposed;
    }

    /// @dev A cash donation for approve/reject: a proposed one if any, else (three times in four) a
    /// recorded one that its charity proposes now.
    function _reversalCandidate(uint256 seed, uint256 callerSeed) internal returns (bytes32 id) {
        if (cashIds.length == 0) return bytes32(0);
        id = _pickCash(seed, ICharityLedger.DonationState.ReversalProposed);
        if (_donations[id].state != ICharityLedger.DonationState.ReversalProposed && seed % 4 != 3) {
            id = _pickCash(seed / 4, ICharityLedger.DonationState.Recorded);
            if (_donations[id].state == ICharityLedger.DonationState.Recorded) {
                _proposeReversal(id, callerSeed % 10 == 9 ? 0 : callerSeed);
            }
        }
    }

    /// @dev Nine times in ten within what is available (and at least 1), else beyond it (half of
    /// those by exactly one).
    function _outAmount(uint256 avail, uint256 seed) internal pure returns (uint256) {
        if (avail == 0 || seed % 10 == 9) return avail + 1 + ((seed >> 8) % 2 == 0 ? 0 : seed % 1000);
        return bound(seed, 1, avail);
    }

    function _noteCash(bytes32 projectId, bytes32 id, uint256 amount) internal {
        GhostProject storage g = _projects[projectId];
        _donations[id] = GhostDonation(amount, projectId, ICharityLedger.DonationState.Recorded, false, _inflow(g));
        cashIds.push(id);
        g.received += amount;
        ++g.donationCount;
    }

    function _addProject(bytes32 id, address charity) internal {
        projectIds.push(id);
        _projects[id].charity = charity;
        _projects[id].status = ICharityLedger.ProjectStatus.Proposed;
    }

    /// @dev Three seeds in four: a pending hand-over (if any); the recipient confirms, or one call in
    /// eight the other recipient.
    function _confirmHandover(GhostHandover[] storage list, bool goods, uint256 seed, uint256 callerSeed) internal {
        uint256 n = list.length;
        if (n == 0) return;
        uint256 start = (seed / 4) % n;
        uint256 k = start;
        if (seed % 4 != 3) {
            for (uint256 j = 0; j < n; ++j) {
                if (!list[(start + j) % n].confirmed) {
                    k = (start + j) % n;
                    break;
                }
            }
        }
        GhostHandover storage h = list[k];
        address caller =
            callerSeed % 8 == 7 ? (h.recipient == recipients[0] ? recipients[1] : recipients[0]) : h.recipient;
        bytes memory expected;
        if (caller != h.recipient) {
            expected = abi.encodeWithSelector(
                ICharityLedger.CharityLedgerNotHandoverRecipient.selector,
                h.id,
                caller,
                h.recipient
            );
        } else if (h.confirmed) {
            expected = abi.encodeWithSelector(ICharityLedger.CharityLedgerAlreadyConfirmed.selector, h.id);
        }
        bytes32 receipt = keccak256(abi.encode("receipt", h.id));
        (bool ok, ) = goods
            ? _call(
                Action.ConfirmGoodsReceipt,
                "confirmGoodsReceipt",
                caller,
                abi.encodeCall(ledger.confirmGoodsReceipt, (h.id, receipt)),
                expected
            )
            : _call(
                Action.ConfirmDisbursement,
                "confirmDisbursement",
                caller,
                abi.encodeCall(ledger.confirmDisbursement, (h.id, receipt)),
                expected
            );
        if (ok) h.confirmed = true;
    }

    // ---------------------------------------------------------------- pickers

    /// @dev Seven seeds in eight: the first project from the seed's index on in `wanted` status (if
    /// any); otherwise whichever the index names.
    function _pickProject(uint256 seed, ICharityLedger.ProjectStatus wanted) internal view returns (bytes32) {
        uint256 n = projectIds.length;
        uint256 start = (seed / 8) % n;
        if (seed % 8 != 7) {
            for (uint256 j = 0; j < n; ++j) {
                bytes32 id = projectIds[(start + j) % n];
                if (_projects[id].status == wanted) return id;
            }
        }
        return projectIds[start];
    }

    /// @dev Seven seeds in eight: a project holding money (if any).
    function _pickFunded(uint256 seed) internal view returns (bytes32) {
        uint256 n = projectIds.length;
        uint256 start = (seed / 8) % n;
        if (seed % 8 != 7) {
            for (uint256 j = 0; j < n; ++j) {
                bytes32 id = projectIds[(start + j) % n];
                if (_available(_projects[id]) != 0) return id;
            }
        }
        return projectIds[start];
    }

    /// @dev Fifteen seeds in sixteen: an approved project other than `fromId` (if any).
    function _pickGrantee(uint256 seed, bytes32 fromId) internal view returns (bytes32) {
        uint256 n = projectIds.length;
        uint256 start = (seed / 16) % n;
        if (seed % 16 != 15) {
            for (uint256 j = 0; j < n; ++j) {
                bytes32 id = projectIds[(start + j) % n];
                if (id != fromId && _projects[id].status == ICharityLedger.ProjectStatus.Approved) return id;
            }
        }
        return projectIds[start];
    }

    function _pickLot(uint256 seed) internal view returns (bytes32) {
        uint256 n = lotIds.length;
        uint256 start = (seed / 4) % n;
        if (seed % 4 != 3) {
            for (uint256 j = 0; j < n; ++j) {
                bytes32 id = lotIds[(start + j) % n];
                if (ghostDispatched[id] < _donations[id].amount) return id;
            }
        }
        return lotIds[start];
    }

    function _pickCash(uint256 seed, ICharityLedger.DonationState wanted) internal view returns (bytes32) {
        uint256 n = cashIds.length;
        uint256 start = (seed / 4) % n;
        if (seed % 4 != 3) {
            for (uint256 j = 0; j < n; ++j) {
                bytes32 id = cashIds[(start + j) % n];
                if (_donations[id].state == wanted) return id;
            }
        }
        return cashIds[start];
    }

    /// @dev One seed in `oneIn` reuses a reference handed out before (if any); the rest get a fresh one.
    function _pickRef(uint256 seed, uint256 oneIn) internal returns (bytes32 ref) {
        if (oneIn != 0 && seed % oneIn == oneIn - 1 && _refs.length != 0) return _refs[(seed / oneIn) % _refs.length];
        ref = refOf("ref", _refs.length);
        _refs.push(ref);
    }

    /// @dev Project charity most of the time; civil affairs three in sixteen, the other charity and
    /// a stranger one in sixteen each.
    function _recordCaller(uint256 seed, address charity) internal view returns (address) {
        uint256 r = seed % 16;
        if (r < 3) return civilAffairs;
        if (r == 3) return _otherCharity(charity);
        if (r == 4) return stranger;
        return charity;
    }

    function _approvedCount(address charity) internal view returns (uint256 count) {
        for (uint256 i = 0; i < projectIds.length; ++i) {
            GhostProject storage g = _projects[projectIds[i]];
            if (g.charity == charity && g.status == ICharityLedger.ProjectStatus.Approved) ++count;
        }
    }

    function _otherCharity(address charity) internal view returns (address) {
        return charity == charities[0] ? charities[1] : charities[0];
    }

    // ---------------------------------------------------------------- outcomes

    /// @dev Calls the ledger as `caller` and compares the outcome with the model's `expected` revert
    /// data (empty: success).
    function _call(
        Action action,
        string memory name,
        address caller,
        bytes memory data,
        bytes memory expected
    ) internal returns (bool ok, bytes memory ret) {
        ++calls[uint256(action)];
        if (uint256(keccak256(data)) % 4 == 0) _relay(name, caller, data);
        vm.prank(caller);
        // solhint-disable-next-line avoid-low-level-calls
        (ok, ret) = address(ledger).call(data);
        if (ok) {
            ++successes[uint256(action)];
            if (expected.length != 0) _mismatch(string.concat(name, " succeeded against the model"), expected);
        } else if (keccak256(ret) != keccak256(expected)) {
            _mismatch(string.concat(name, " reverted against the model"), ret);
        }
    }

    /// @dev The insider's relay: `caller` asks the manager to make the same call. It must revert, with
    /// the manager's refusal (a caller the manager would not let through) or the ledger's RelayedCall;
    /// a revert changes nothing, so the direct call that follows meets the state the model expects.
    function _relay(string memory name, address caller, bytes memory data) internal {
        ++relays;
        bytes4 selector = bytes4(data);
        vm.prank(caller);
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = address(manager).call(abi.encodeCall(manager.execute, (address(ledger), data)));
        bytes memory byLedger = abi.encodeWithSelector(
            ICharityLedger.CharityLedgerRelayedCall.selector,
            address(manager),
            selector
        );
        bytes memory byManager = abi.encodeWithSelector(
            IAccessManager.AccessManagerUnauthorizedCall.selector,
            caller,
            address(ledger),
            selector
        );
        if (ok) _mismatch(string.concat(name, " relayed through the manager succeeded"), data);
        else if (keccak256(ret) != keccak256(byLedger) && keccak256(ret) != keccak256(byManager)) {
            _mismatch(string.concat(name, " relayed: unexpected revert"), ret);
        }
    }

    function _mismatch(string memory what, bytes memory data) internal {
        if (mismatches++ == 0) firstMismatch = string.concat(what, ": ", vm.toString(data));
    }

    function _managed(address caller) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IAccessManaged.AccessManagedUnauthorized.selector, caller);
    }

    function _wrongStatus(bytes32 id, ICharityLedger.ProjectStatus status) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerWrongProjectStatus.selector, id, status);
    }

    function _wrongDonationState(bytes32 id, ICharityLedger.DonationState state) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerWrongDonationState.selector, id, state);
    }

    function _notProjectCharity(bytes32 id, address caller, address charity) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerNotProjectCharity.selector, id, caller, charity);
    }

    function _notRecipient(address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerNotRecipient.selector, account);
    }

    function _insufficient(bytes32 id, uint256 avail, uint256 amount) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICharityLedger.CharityLedgerInsufficientBalance.selector, id, avail, amount);
    }
}
