package dev.ponte.connectors.fiscal;

import static dev.ponte.connectors.fiscal.CanonicalFields.normalized;
import static dev.ponte.connectors.fiscal.CanonicalFields.orUnknown;
import static dev.ponte.connectors.fiscal.CanonicalFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fincatto.documentofiscal.DFAmbiente;
import com.fincatto.documentofiscal.DFModelo;
import com.fincatto.documentofiscal.DFUnidadeFederativa;
import com.fincatto.documentofiscal.nfe.NFTipoEmissao;
import com.fincatto.documentofiscal.nfe400.classes.NFEndereco;
import com.fincatto.documentofiscal.nfe400.classes.NFFinalidade;
import com.fincatto.documentofiscal.nfe400.classes.NFModalidadeFrete;
import com.fincatto.documentofiscal.nfe400.classes.NFNotaInfoSituacaoTributariaCOFINS;
import com.fincatto.documentofiscal.nfe400.classes.NFNotaInfoSituacaoTributariaPIS;
import com.fincatto.documentofiscal.nfe400.classes.NFNotaSituacaoOperacionalSimplesNacional;
import com.fincatto.documentofiscal.nfe400.classes.NFOrigem;
import com.fincatto.documentofiscal.nfe400.classes.NFProcessoEmissor;
import com.fincatto.documentofiscal.nfe400.classes.NFProdutoCompoeValorNota;
import com.fincatto.documentofiscal.nfe400.classes.NFRegimeTributario;
import com.fincatto.documentofiscal.nfe400.classes.NFTipo;
import com.fincatto.documentofiscal.nfe400.classes.NFTipoImpressao;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFIdentificadorLocalDestinoOperacao;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFIndicadorIEDestinatario;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFIndicadorPresencaComprador;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFMeioPagamento;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNota;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNotaInfo;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNotaInfoDestinatario;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNotaInfoEmitente;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNotaInfoFormaPagamento;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNotaInfoICMSTotal;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNotaInfoIdentificacao;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNotaInfoItem;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNotaInfoItemImposto;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNotaInfoItemImpostoCOFINS;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNotaInfoItemImpostoCOFINSOutrasOperacoes;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNotaInfoItemImpostoICMS;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNotaInfoItemImpostoICMSSN102;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNotaInfoItemImpostoPIS;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNotaInfoItemImpostoPISOutrasOperacoes;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNotaInfoItemProduto;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNotaInfoPagamento;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNotaInfoTotal;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFNotaInfoTransporte;
import com.fincatto.documentofiscal.nfe400.classes.nota.NFOperacaoConsumidorFinal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the unsigned NF-e 4.00 (model 55) of a product sale from canonical records, with the model classes of the
 * {@code com.github.wmixvideo:nfe} library: one item, the {@code Procedure} (kind {@code PRODUCT}) sold for the
 * {@code Charge}'s amount to its {@code Patient}, a final consumer in the clinic's state, in person. Required data that
 * is missing or wrong gives {@link Result.Problems} naming record and field, never quoting a personal value; the
 * patient's address is written ({@code enderDest}) only when it is complete and fits the schema. Never logs. Thread
 * safe.
 */
final class NfeFromCanonical {

    /** {@code dest/xNome} of every NF-e issued in homologation (Manual de Orientação do Contribuinte). */
    static final String HOMOLOGATION_NAME = "NF-E EMITIDA EM AMBIENTE DE HOMOLOGACAO - SEM VALOR FISCAL";
    /** {@code ide/natOp}. */
    static final String OPERATION = "Venda de mercadoria";
    /** {@code ide/verProc}. */
    static final String APPLICATION_VERSION = ClinicSettings.DEFAULT_APPLICATION_VERSION;
    /** The largest NF-e number ({@code nNF}, 9 digits). */
    static final long MAX_NUMBER = 999_999_999L;

    private static final int MODEL = 55;
    private static final int NORMAL_EMISSION = 1;
    private static final String NO_GTIN = "SEM GTIN";
    private static final String UNIT = "UN";
    private static final DateTimeFormatter AAMM = DateTimeFormatter.ofPattern("yyMM");
    /** cNF values the NT 2019.001 forbids (repeated or sequential digits). */
    private static final Set<String> FORBIDDEN_CODES = Set.of("00000000", "11111111", "22222222", "33333333",
            "44444444", "55555555", "66666666", "77777777", "88888888", "99999999", "12345678", "23456789",
            "34567890", "45678901", "56789012", "67890123", "78901234", "89012345", "90123456", "01234567");
    /**
     * {@code tPag} of each canonical payment method. A bank transfer is 18 (transferência bancária, carteira digital);
     * 16 is a bank deposit (depósito bancário). PIX is 17, the dynamic QR code a clinic's terminal shows.
     */
    private static final Map<String, NFMeioPagamento> PAYMENT_METHODS = Map.of(
            "PIX", NFMeioPagamento.PIX_DINAMICO,
            "CASH", NFMeioPagamento.DINHEIRO,
            "CREDIT_CARD", NFMeioPagamento.CARTAO_CREDITO,
            "DEBIT_CARD", NFMeioPagamento.CARTAO_DEBITO,
            "BANK_SLIP", NFMeioPagamento.BOLETO_BANCARIO,
            "BANK_TRANSFER", NFMeioPagamento.TRANSFERENCIA_BANCARIA);

    /** What building gave: an unsigned NF-e, or the problems that prevent one. */
    sealed interface Result {
        /** The NF-e, its access key already in {@code infNFe/@Id}. */
        record Built(NFNota nota, AccessKey key) implements Result {
        }

        /** At least one problem; nothing was built. */
        record Problems(List<CanonicalProblem> problems) implements Result {
            public Problems {
                problems = List.copyOf(problems);
            }
        }
    }

    private final NfeSettings settings;

    /** Keys {@code cNF} (HMAC-SHA256), or null for a plain SHA-256 of public data (previews, tests). */
    private byte[] codeSecret;

    NfeFromCanonical(NfeSettings settings, byte[] codeSecret) {
        this(settings);
        this.codeSecret = codeSecret == null ? null : codeSecret.clone();
    }

    NfeFromCanonical(NfeSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Builds the NF-e of one charge.
     *
     * @param charge    the canonical Charge
     * @param patient   its canonical Patient, the recipient
     * @param procedure the canonical Procedure sold (kind PRODUCT)
     * @param number    the NF-e number ({@code nNF}), 1 to 999 999 999
     * @param emittedAt {@code dhEmi}, written in the settings' zone to the second
     */
    Result build(JsonNode charge, JsonNode patient, JsonNode procedure, long number, Instant emittedAt) {
        Objects.requireNonNull(charge, "charge");
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(emittedAt, "emittedAt");
        List<CanonicalProblem> problems = new ArrayList<>();
        String chargeId = orUnknown(text(charge, "id"));
        String patientId = text(patient, "id") != null ? text(patient, "id") : orUnknown(text(charge, "patientId"));

        if (number < 1 || number > MAX_NUMBER) {
            problems.add(new CanonicalProblem("Charge", chargeId, "number", "(NF-e number " + number
                    + ") must be between 1 and " + MAX_NUMBER + " (nNF)"));
        }
        if (settings.crt() != NfeSettings.Crt.SIMPLES_NACIONAL) {
            problems.add(new CanonicalProblem("Charge", chargeId, "(NF-e)", "CRT " + (settings.crt()
                    == NfeSettings.Crt.NORMAL ? "normal" : "Simples Nacional over the sub-limit")
                    + " not supported yet: the clinic's regime (CRT " + settings.crt().code() + ") needs the ICMS"
                    + " groups of the normal regime (ICMS00), which this builder does not write; only CRT 1 (Simples"
                    + " Nacional, CSOSN 102) is"));
        }
        BigDecimal amount = amount(charge, chargeId, problems);
        CanonicalFields.checkCharge(charge, chargeId, patient, "NF-e", "recipient", problems);

        String cpf = cpf(patient, patientId, problems);
        String name;
        if (settings.environment() == Dps.Environment.HOMOLOGATION) {
            name = HOMOLOGATION_NAME;
        } else {
            name = normalized(text(patient, "name"));
            if (name == null) {
                problems.add(new CanonicalProblem("Patient", patientId, "name",
                        "is missing, the NF-e needs the recipient's name (dest/xNome)"));
            } else if (!fits(name, 2, 60)) {
                problems.add(new CanonicalProblem("Patient", patientId, "name", "does not fit the NF-e (dest/xNome:"
                        + " 2 to 60 Latin-1 characters)"));
                name = null;
            }
        }

        String code = null;
        String description = null;
        String ncm = null;
        if (procedure == null || procedure.isNull()) {
            problems.add(new CanonicalProblem("Charge", chargeId, "appointmentId", "has no procedure: the NF-e needs "
                    + "the product sold (a Procedure of kind PRODUCT)"));
        } else {
            String procedureId = orUnknown(text(procedure, "code"));
            String kind = text(procedure, "kind");
            if (kind == null) {
                problems.add(new CanonicalProblem("Procedure", procedureId, "kind", "is missing: an NF-e is issued "
                        + "for a PRODUCT"));
            } else if (!"PRODUCT".equals(kind)) {
                problems.add(new CanonicalProblem("Procedure", procedureId, "kind", "is " + kind + ", not PRODUCT: "
                        + "a service is invoiced with an NFS-e, not an NF-e"));
            }
            code = normalized(text(procedure, "code"));
            if (code == null) {
                problems.add(new CanonicalProblem("Procedure", procedureId, "code", "is missing, the NF-e needs the "
                        + "product code (det/prod/cProd)"));
            } else if (!fits(code, 1, 60)) {
                problems.add(new CanonicalProblem("Procedure", procedureId, "code", "does not fit the NF-e "
                        + "(det/prod/cProd: 1 to 60 Latin-1 characters)"));
                code = null;
            }
            description = normalized(text(procedure, "name"));
            if (description == null) {
                problems.add(new CanonicalProblem("Procedure", procedureId, "name", "is missing, the NF-e needs the "
                        + "product description (det/prod/xProd)"));
            } else if (description.length() > 120) {
                description = description.substring(0, 120).strip();
            }
            if (description != null && !fits(description, 1, 120)) {
                problems.add(new CanonicalProblem("Procedure", procedureId, "name", "does not fit the NF-e "
                        + "(det/prod/xProd: Latin-1 characters only)"));
                description = null;
            }
            String rawNcm = text(procedure, "ncm");
            if (rawNcm == null) {
                problems.add(new CanonicalProblem("Procedure", procedureId, "ncm", "is missing, the NF-e needs the "
                        + "product's 8-digit NCM (det/prod/NCM)"));
            } else {
                ncm = rawNcm.replaceAll("[.\\s]", "");
                if (ncm.length() != 8 || !DpsId.allDigits(ncm)) {
                    problems.add(new CanonicalProblem("Procedure", procedureId, "ncm", "is not an 8-digit NCM such "
                            + "as 3304.99.90 (det/prod/NCM)"));
                    ncm = null;
                }
            }
        }
        if (!problems.isEmpty()) {
            return new Result.Problems(problems);
        }

        ZonedDateTime dhEmi = emittedAt.truncatedTo(ChronoUnit.SECONDS).atZone(settings.zone());
        int cnf = numericCode(codeSecret, settings.cnpj(), settings.series(), number);
        AccessKey key = AccessKey.of(settings.cUF(), AAMM.format(dhEmi), settings.cnpj(), MODEL,
                Integer.parseInt(settings.series()), number, NORMAL_EMISSION, cnf);
        Step step = new Step();
        try {
            NFNotaInfo info = new NFNotaInfo();
            step.at("infNFe");
            info.setIdentificador(key.value());
            info.setVersao(new BigDecimal("4.00"));
            info.setIdentificacao(ide(step, key, number, dhEmi));
            info.setEmitente(emit(step));
            info.setDestinatario(dest(step, cpf, name, patient));
            info.setItens(List.of(item(step, code, description, ncm, amount)));
            info.setTotal(total(step, amount));
            step.at("transp");
            NFNotaInfoTransporte transport = new NFNotaInfoTransporte();
            transport.setModalidadeFrete(NFModalidadeFrete.SEM_OCORRENCIA_TRANSPORTE);
            info.setTransporte(transport);
            info.setPagamento(payment(step, charge, amount));
            NFNota nota = new NFNota();
            nota.setInfo(info);
            return new Result.Built(nota, key);
        } catch (RuntimeException e) {
            // the library's messages quote the value: only the element is named
            return new Result.Problems(List.of(new CanonicalProblem("Charge", chargeId, "(NF-e)", "the NF-e model "
                    + "refused the value of " + step.element + " (" + e.getClass().getSimpleName() + ")")));
        }
    }

    /**
     * The 8-digit {@code cNF} of a number: the first digits of SHA-256 over CNPJ, series and number, rehashed while
     * the code is one the NT 2019.001 forbids or equals {@code nNF}. The same NF-e always gets the same code (and so
     * the same access key), so a retry sends the same document.
     */
    static int numericCode(String cnpj, String series, long number) {
        return numericCode(null, cnpj, series, number);
    }

    /**
     * As {@link #numericCode(String, String, long)}, keyed: with the installation's secret the code is an HMAC-SHA256,
     * so nobody who knows the CNPJ, series and number can compute the access key (the authority wants a code that
     * cannot be guessed), and the same NF-e still always gets the same code.
     */
    static int numericCode(byte[] secret, String cnpj, String series, long number) {
        for (int round = 0; ; round++) {
            String input = "ponte-nfe-cNF|" + cnpj + "|" + series + "|" + number + (round == 0 ? "" : "|" + round);
            byte[] digest = secret == null ? sha256(input) : hmac(secret, input);
            int code = new BigInteger(1, digest).mod(BigInteger.valueOf(100_000_000L)).intValue();
            if (!FORBIDDEN_CODES.contains(String.format("%08d", code)) && code != number % 100_000_000L) {
                return code;
            }
        }
    }

    private NFNotaInfoIdentificacao ide(Step step, AccessKey key, long number, ZonedDateTime dhEmi) {
        NFNotaInfoIdentificacao ide = new NFNotaInfoIdentificacao();
        step.at("ide");
        ide.setUf(settings.state());
        ide.setNumeroNota(String.valueOf(number));
        step.at("ide/cNF");
        ide.setCodigoRandomico(key.cNF());
        step.at("ide");
        ide.setNaturezaOperacao(OPERATION);
        ide.setModelo(DFModelo.NFE);
        ide.setSerie(settings.series());
        ide.setDataHoraEmissao(dhEmi);
        ide.setTipo(NFTipo.SAIDA);
        ide.setIdentificadorLocalDestinoOperacao(NFIdentificadorLocalDestinoOperacao.OPERACAO_INTERNA);
        ide.setCodigoMunicipio(settings.municipalityCode());
        ide.setTipoImpressao(NFTipoImpressao.DANFE_NORMAL_RETRATO);
        ide.setTipoEmissao(NFTipoEmissao.EMISSAO_NORMAL);
        ide.setDigitoVerificador(key.cDV());
        ide.setAmbiente(settings.environment() == Dps.Environment.PRODUCTION ? DFAmbiente.PRODUCAO
                : DFAmbiente.HOMOLOGACAO);
        ide.setFinalidade(NFFinalidade.NORMAL);
        ide.setOperacaoConsumidorFinal(NFOperacaoConsumidorFinal.SIM);
        ide.setIndicadorPresencaComprador(NFIndicadorPresencaComprador.OPERACAO_PRESENCIAL);
        ide.setProgramaEmissor(NFProcessoEmissor.CONTRIBUINTE);
        ide.setVersaoEmissor(APPLICATION_VERSION);
        return ide;
    }

    private NFNotaInfoEmitente emit(Step step) {
        step.at("emit");
        NFNotaInfoEmitente emit = new NFNotaInfoEmitente();
        emit.setCnpj(settings.cnpj());
        emit.setRazaoSocial(settings.legalName());
        step.at("emit/enderEmit");
        NFEndereco address = new NFEndereco();
        address.setLogradouro(settings.street());
        address.setNumero(settings.number());
        address.setBairro(settings.district());
        address.setCodigoMunicipio(settings.municipalityCode());
        address.setDescricaoMunicipio(settings.municipalityName());
        address.setUf(settings.state());
        address.setCep(settings.postalCode());
        emit.setEndereco(address);
        step.at("emit");
        emit.setInscricaoEstadual(settings.stateRegistration());
        emit.setRegimeTributario(NFRegimeTributario.SIMPLES_NACIONAL);
        return emit;
    }

    private static NFNotaInfoDestinatario dest(Step step, String cpf, String name, JsonNode patient) {
        NFNotaInfoDestinatario dest = new NFNotaInfoDestinatario();
        step.at("dest/CPF");
        dest.setCpf(cpf);
        step.at("dest/xNome");
        dest.setRazaoSocial(name);
        step.at("dest/enderDest");
        dest.setEndereco(address(patient));
        step.at("dest/indIEDest");
        dest.setIndicadorIEDestinatario(NFIndicadorIEDestinatario.NAO_CONTRIBUINTE);
        return dest;
    }

    private NFNotaInfoItem item(Step step, String code, String description, String ncm, BigDecimal amount) {
        step.at("det/prod");
        NFNotaInfoItemProduto product = new NFNotaInfoItemProduto();
        product.setCodigo(code);
        product.setCodigoDeBarrasGtin(NO_GTIN);
        product.setDescricao(description);
        product.setNcm(ncm);
        product.setCfop(settings.cfop());
        product.setUnidadeComercial(UNIT);
        product.setQuantidadeComercial(BigDecimal.ONE);
        product.setValorUnitario(amount);
        product.setValorTotalBruto(amount);
        product.setCodigoDeBarrasGtinTributavel(NO_GTIN);
        product.setUnidadeTributavel(UNIT);
        product.setQuantidadeTributavel(BigDecimal.ONE);
        product.setValorUnitarioTributavel(amount);
        product.setCompoeValorNota(NFProdutoCompoeValorNota.SIM);

        step.at("det/imposto/ICMS");
        NFNotaInfoItemImposto taxes = new NFNotaInfoItemImposto();
        NFNotaInfoItemImpostoICMSSN102 sn102 = new NFNotaInfoItemImpostoICMSSN102();
        sn102.setOrigem(NFOrigem.NACIONAL);
        sn102.setSituacaoOperacaoSN(NFNotaSituacaoOperacionalSimplesNacional.CSOSN_102);
        NFNotaInfoItemImpostoICMS icms = new NFNotaInfoItemImpostoICMS();
        icms.setIcmssn102(sn102);
        taxes.setIcms(icms);

        step.at("det/imposto/PIS");
        NFNotaInfoItemImpostoPISOutrasOperacoes pisOther = new NFNotaInfoItemImpostoPISOutrasOperacoes();
        pisOther.setSituacaoTributaria(NFNotaInfoSituacaoTributariaPIS.CST_49);
        pisOther.setValorBaseCalculo(BigDecimal.ZERO);
        pisOther.setPercentualAliquota(BigDecimal.ZERO);
        pisOther.setValorTributo(BigDecimal.ZERO);
        NFNotaInfoItemImpostoPIS pis = new NFNotaInfoItemImpostoPIS();
        pis.setOutrasOperacoes(pisOther);
        taxes.setPis(pis);

        step.at("det/imposto/COFINS");
        NFNotaInfoItemImpostoCOFINSOutrasOperacoes cofinsOther = new NFNotaInfoItemImpostoCOFINSOutrasOperacoes();
        cofinsOther.setSituacaoTributaria(NFNotaInfoSituacaoTributariaCOFINS.CST_49);
        cofinsOther.setValorBaseCalculo(BigDecimal.ZERO);
        cofinsOther.setPercentualCOFINS(BigDecimal.ZERO);
        cofinsOther.setValorCOFINS(BigDecimal.ZERO);
        NFNotaInfoItemImpostoCOFINS cofins = new NFNotaInfoItemImpostoCOFINS();
        cofins.setOutrasOperacoes(cofinsOther);
        taxes.setCofins(cofins);

        step.at("det");
        NFNotaInfoItem item = new NFNotaInfoItem();
        item.setNumeroItem(1);
        item.setProduto(product);
        item.setImposto(taxes);
        return item;
    }

    private static NFNotaInfoTotal total(Step step, BigDecimal amount) {
        step.at("total/ICMSTot");
        BigDecimal zero = BigDecimal.ZERO;
        NFNotaInfoICMSTotal icms = new NFNotaInfoICMSTotal();
        icms.setBaseCalculoICMS(zero);
        icms.setValorTotalICMS(zero);
        icms.setValorICMSDesonerado(zero);
        icms.setValorTotalFundoCombatePobreza(zero);
        icms.setBaseCalculoICMSST(zero);
        icms.setValorTotalICMSST(zero);
        icms.setValorTotalFundoCombatePobrezaST(zero);
        icms.setValorTotalFundoCombatePobrezaSTRetido(zero);
        icms.setValorTotalDosProdutosServicos(amount);
        icms.setValorTotalFrete(zero);
        icms.setValorTotalSeguro(zero);
        icms.setValorTotalDesconto(zero);
        icms.setValorTotalII(zero);
        icms.setValorTotalIPI(zero);
        icms.setValorTotalIPIDevolvido(zero);
        icms.setValorPIS(zero);
        icms.setValorCOFINS(zero);
        icms.setOutrasDespesasAcessorias(zero);
        icms.setValorTotalNFe(amount);
        NFNotaInfoTotal total = new NFNotaInfoTotal();
        total.setIcmsTotal(icms);
        return total;
    }

    private static NFNotaInfoPagamento payment(Step step, JsonNode charge, BigDecimal amount) {
        step.at("pag/detPag");
        JsonNode payments = charge.get("payments");
        String method = payments != null && payments.isArray() && !payments.isEmpty()
                ? text(payments.get(0), "method") : null;
        NFMeioPagamento tPag = method == null ? null : PAYMENT_METHODS.get(method);
        NFNotaInfoFormaPagamento detail = new NFNotaInfoFormaPagamento()
                .setMeioPagamento(tPag == null ? NFMeioPagamento.OUTRO : tPag)
                .setValorPagamento(amount);
        if (tPag == null) {
            detail.setDescricaoMeioPagamento("Outros");
        }
        NFNotaInfoPagamento payment = new NFNotaInfoPagamento();
        payment.setDetalhamentoFormasPagamento(List.of(detail));
        return payment;
    }


    private static BigDecimal amount(JsonNode charge, String chargeId, List<CanonicalProblem> out) {
        JsonNode node = charge.get("amount");
        BigDecimal amount = null;
        if (node != null && node.isNumber()) {
            amount = node.decimalValue();
        } else if (node != null && node.isTextual()) {
            try {
                amount = new BigDecimal(node.asText().trim());
            } catch (NumberFormatException e) {
                amount = null;
            }
        }
        if (amount == null) {
            out.add(new CanonicalProblem("Charge", chargeId, "amount", "is missing or not a number, the NF-e needs "
                    + "the product's value (vProd)"));
            return null;
        }
        // vUnCom (TDec_1110v) allows 11 integer digits, vProd and vNF (TDec_1302) 13
        if (amount.signum() <= 0 || amount.stripTrailingZeros().scale() > 2
                || amount.setScale(0, RoundingMode.DOWN).precision() > 11) {
            out.add(new CanonicalProblem("Charge", chargeId, "amount", "must be positive, with at most 2 decimal "
                    + "places and 11 integer digits (vProd)"));
            return null;
        }
        return amount.setScale(2, RoundingMode.UNNECESSARY);
    }

    private static String cpf(JsonNode patient, String patientId, List<CanonicalProblem> out) {
        String cpf = text(patient, "cpf");
        if (cpf == null) {
            out.add(new CanonicalProblem("Patient", patientId, "cpf",
                    "is missing, the NF-e needs the recipient's CPF (dest/CPF)"));
            return null;
        }
        String digits = cpf.replaceAll("[.\\-\\s]", "");
        if (!TaxIds.isValidCpf(digits)) {
            out.add(new CanonicalProblem("Patient", patientId, "cpf",
                    "is not a valid CPF (11 digits with valid check digits)"));
            return null;
        }
        return digits;
    }

    /**
     * The patient's address as {@code enderDest} when it is complete and fits the schema (street, district, a 7-digit
     * municipality code of the given state, city); else null, as the element is optional.
     */
    private static NFEndereco address(JsonNode patient) {
        JsonNode a = patient.get("address");
        if (a == null || !a.isObject()) {
            return null;
        }
        String street = normalized(text(a, "street"));
        String number = normalized(text(a, "number"));
        String complement = normalized(text(a, "complement"));
        String district = normalized(text(a, "district"));
        String city = normalized(text(a, "city"));
        String state = text(a, "state");
        String municipality = text(a, "municipalityCode");
        String postalCode = text(a, "postalCode") == null ? null : text(a, "postalCode").replaceAll("\\D", "");
        number = number == null ? "S/N" : number;
        DFUnidadeFederativa uf = null;
        try {
            uf = state == null ? null : DFUnidadeFederativa.valueOf(state.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            uf = null;
        }
        if (!fits(street, 2, 60) || !fits(number, 1, 60) || !fits(district, 2, 60) || !fits(city, 2, 60)
                || uf == null || Integer.parseInt(uf.getCodigoIbge()) > 53 || municipality == null
                || municipality.length() != 7 || !DpsId.allDigits(municipality)
                || !municipality.startsWith(uf.getCodigoIbge())) {
            return null;
        }
        try {
            NFEndereco address = new NFEndereco();
            address.setLogradouro(street);
            address.setNumero(number);
            if (fits(complement, 1, 60)) {
                address.setComplemento(complement);
            }
            address.setBairro(district);
            address.setCodigoMunicipio(municipality);
            address.setDescricaoMunicipio(city);
            address.setUf(uf);
            if (postalCode != null && postalCode.length() == 8) {
                address.setCep(postalCode);
            }
            return address;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean fits(String s, int min, int max) {
        return s != null && s.length() >= min && s.length() <= max && Dps.isSchemaText(s);
    }

    private static byte[] hmac(byte[] secret, String s) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA256", e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }




    /** The element being filled, for a message when the library refuses a value. */
    private static final class Step {
        private String element = "infNFe";

        void at(String element) {
            this.element = element;
        }
    }
}
