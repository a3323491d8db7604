/** Questionnaires (PHQ-9, GAD-7, PHQ-2, GAD-2): answer one, see its score, and see it over time. */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, NetworkError, problemText } from '../api';
import { kvGet, kvSet } from '../db';
import { ScreenTitle } from '../components/controls';
import { formatDay, localDate } from '../labels';
import type { Questionnaire, QuestionnaireResponse, QuestionnaireTrend } from '../types';
import { CrisisList, useCrisisResources } from './support';
import type { CrisisResources } from '../types';

const problem = (error: unknown) =>
  problemText(error, { offline: 'Questionnaires need a connection. Please try again when you are back online.' });

let cached: Promise<Questionnaire[]> | null = null;
/** The questionnaires' text: from the server once per start, else the copy on this phone. */
function questionnaires(): Promise<Questionnaire[]> {
  cached ??= api
    .questionnaires()
    .then(async (qs) => {
      await kvSet('questionnaires', qs);
      return qs;
    })
    .catch(async (error) => {
      cached = null;
      const copy = error instanceof NetworkError ? await kvGet('questionnaires') : undefined;
      if (!copy) throw error;
      return copy;
    });
  return cached;
}

export function QuestionnaireList() {
  const [list, setList] = useState<Questionnaire[] | null>(null);
  const [trends, setTrends] = useState<Record<string, QuestionnaireTrend>>({});
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    questionnaires()
      .then((qs) => {
        setList(qs);
        return Promise.all(qs.map((q) => api.questionnaireTrend(q.id)));
      })
      .then((ts) => setTrends(Object.fromEntries(ts.map((t) => [t.instrument, t]))))
      .catch(setError);
  }, []);

  return (
    <section>
      <ScreenTitle>Questionnaires</ScreenTitle>
      <p class="lede">
        Short, widely used check-lists for low mood and anxiety. A score is a starting point for a conversation with your
        therapist, not a diagnosis.
      </p>
      {error ? <p class="callout">{problem(error)}</p> : null}
      {!list && !error && <p class="hint">Loading…</p>}
      <ul class="plain">
        {(list ?? []).map((q) => {
          const trend = trends[q.id];
          const last = trend?.series.at(-1);
          return (
            <li key={q.id} class="card">
              <h2>{q.title}</h2>
              <p class="hint">
                {q.name}, {q.items.length} questions.
              </p>
              {last ? (
                <p>
                  Last answered {formatDay(last.local_date)}: {last.total} of {q.max_total}. {trend.note}
                </p>
              ) : (
                <p>Not answered yet.</p>
              )}
              <a class="button secondary" href={`#/questionnaires/${q.id}`}>
                Answer the {q.title}
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function QuestionnaireForm({ id }: { id: string }) {
  const [q, setQ] = useState<Questionnaire | null>(null);
  const [answers, setAnswers] = useState<(number | null)[]>([]);
  const [difficulty, setDifficulty] = useState<number | null>(null);
  const [clientId] = useState(() => crypto.randomUUID());
  const [result, setResult] = useState<QuestionnaireResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    questionnaires()
      .then((qs) => {
        const found = qs.find((x) => x.id === id) ?? null;
        setQ(found);
        setAnswers(found ? found.items.map(() => null) : []);
        if (!found) setError(new ApiError(404, 'There is no such questionnaire.'));
      })
      .catch(setError);
  }, [id]);

  async function submit(e: Event) {
    e.preventDefault();
    if (!q) return;
    if (answers.some((a) => a === null)) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const now = new Date();
      const response = await api.answer(q.id, {
        client_id: clientId,
        answers: answers as number[],
        difficulty,
        local_date: localDate(now),
        recorded_at: now.toISOString(),
      });
      setResult(response);
      window.scrollTo(0, 0);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (result && q) return <QuestionnaireResult q={q} result={result} />;

  const unanswered = answers.filter((a) => a === null).length;
  const crisisItem = q?.crisis_item ?? null;
  // The server's resources for an answer it refused (a 422 may carry them too).
  const refusedWith = error instanceof ApiError ? (error.body.crisis_resources as CrisisResources | undefined) : undefined;
  return (
    <section>
      <ScreenTitle>{q ? q.title : 'Questionnaire'}</ScreenTitle>
      {error ? <p class="callout">{problem(error)}</p> : null}
      {!q && !error && <p class="hint">Loading…</p>}
      {q && (
        <form onSubmit={submit}>
          <p class="lede">{q.stem}</p>
          {q.items.map((item, i) => (
            <fieldset class="question" key={item} aria-invalid={missing && answers[i] === null ? true : undefined}>
              <legend>
                <span class="q-number">{i + 1}.</span> {item}
              </legend>
              <div class="options">
                {q.answer_options.map((option, value) => (
                  <label class="option" key={option}>
                    <input
                      type="radio"
                      name={`item-${i}`}
                      checked={answers[i] === value}
                      onChange={() => setAnswers(answers.map((a, j) => (j === i ? value : a)))}
                    />
                    <span>{option}</span>
                  </label>
                ))}
              </div>
              {i === crisisItem && (
                <div aria-live="polite">{(answers[i] ?? 0) > 0 && <CrisisNow whoSees={q.crisis_note} />}</div>
              )}
            </fieldset>
          ))}
          {q.difficulty_question && q.difficulty_options && (
            <fieldset class="question">
              <legend>
                {q.difficulty_question} <span class="optional">(optional)</span>
              </legend>
              <div class="options">
                {q.difficulty_options.map((option, value) => (
                  <label class="option" key={option}>
                    <input type="radio" name="difficulty" checked={difficulty === value} onChange={() => setDifficulty(value)} />
                    <span>{option}</span>
                  </label>
                ))}
              </div>
            </fieldset>
          )}
          {refusedWith && !(crisisItem !== null && (answers[crisisItem] ?? 0) > 0) && <CrisisNow given={refusedWith} whoSees={q.crisis_note} />}
          {missing && unanswered > 0 && (
            <p class="error" role="alert">
              {unanswered === 1 ? 'One question is' : `${unanswered} questions are`} still unanswered.
            </p>
          )}
          <button class="primary block" type="submit" disabled={busy}>
            {busy ? 'Scoring…' : 'See my score'}
          </button>
        </form>
      )}
    </section>
  );
}

/**
 * Shown the moment item 9 is answered above 0, before the form is sent, offline too; or with
 * the lines `given` by the server's answer.
 */
function CrisisNow({ given, whoSees }: { given?: CrisisResources; whoSees?: string | null }) {
  const kept = useCrisisResources();
  const resources = given ?? kept;
  return (
    <div class="card crisis-now">
      <h2>You don’t have to carry this alone</h2>
      <p>Thank you for answering this honestly. If things feel like too much, the people below are there to listen, now.</p>
      {resources && (resources.resources.length ? <CrisisList resources={resources.resources} level={3} /> : <p>{resources.message}</p>)}
      <p class="hint">You can go on with the questionnaire whenever you are ready. {whoSees ?? ''}</p>
    </div>
  );
}

function QuestionnaireResult({ q, result }: { q: Questionnaire; result: QuestionnaireResponse }) {
  const [trend, setTrend] = useState<QuestionnaireTrend | null>(null);
  useEffect(() => {
    api.questionnaireTrend(q.id).then(setTrend).catch(() => undefined);
  }, [q.id]);
  return (
    <section>
      {result.crisis_resources ? (
        <>
          <ScreenTitle>You don’t have to carry this alone</ScreenTitle>
          <p class="lede">
            You said you have had thoughts of being better off dead or of hurting yourself. Thank you for being honest about
            it.
          </p>
          <p>{result.crisis_resources.message}</p>
          <CrisisList resources={result.crisis_resources.resources} />
          <h2>Your {q.title} score</h2>
        </>
      ) : (
        <ScreenTitle>Your {q.title} score</ScreenTitle>
      )}
      <div class="card score">
        <p class="big-number">
          {result.total} <span>of {q.max_total}</span>
        </p>
        <p>A {result.band_label}.</p>
        {trend && <p>{trend.note}</p>}
        <p class="hint">A questionnaire score is not a diagnosis. It can help you and your therapist talk about how things have been.</p>
      </div>
      <a class="button secondary block" href="#/questionnaires">
        Back to questionnaires
      </a>
    </section>
  );
}
